using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

// The six management endpoints every resource has. Each resource declares them in one line apiece (see
// Manage/Topics/TopicEndpoints.cs); what differs between resources is in its ManagedResource.

/// <summary>POST /v1/manage/{plural}: 201 with Location and ETag; Idempotency-Key makes a retry safe.</summary>
public abstract class CreateResource<TResource, TEntity, TInput, TOutput> : EndpointWithoutRequest<TOutput>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static readonly TResource Resource = new();

    public override void Configure()
    {
        Post($"/v1/manage/{Resource.Plural}");
        Policies(ApiScopes.Write);
        Description(d => d.Accepts<TInput>("application/json"));
        Summary(s =>
        {
            s.Summary = $"Create a {Resource.Type}";
            s.Description = $"Creates a {Resource.Type} from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var db = Resolve<ContentDb>();
        var now = Resolve<TimeProvider>().GetUtcNow();
        var (body, input, problem) = await JsonBody.ReadInputAsync(HttpContext, Resource.Validator, ct);
        if (body is null || input is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var start = await IdempotencyKeys.BeginAsync(db, HttpContext, body.Bytes, transaction, now, ct);
        if (start.Answer is not null)
        {
            await HttpContext.Response.SendResultAsync(start.Answer);
            return;
        }

        var entity = Resource.Create(input);
        var errors = new Dictionary<string, string[]>();
        await Resource.ApplyAsync(db, entity, input, errors, ct);
        if (errors.Count > 0)
        {
            await HttpContext.Response.SendResultAsync(Problems.BadRequest(errors));
            return;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, Resource.Type, entity, input.Slug!, null, now, ct) is { } conflict)
        {
            await HttpContext.Response.SendResultAsync(conflict);
            return;
        }
        db.Add(entity);
        ResourceWrites.Stamp(db, HttpContext, entity, Resource.Type, "create", now, expectedVersion: null);

        var output = Resource.ToOutput(entity);
        var location = $"/v1/manage/{Resource.Plural}/{entity.Id}";
        if (start.Row is { } row)
        {
            IdempotencyKeys.Remember(row, StatusCodes.Status201Created, location, ResourceWrites.ETag(entity.Version),
                JsonSerializer.SerializeToUtf8Bytes(output, ApiJson.Options));
        }
        if (await ResourceWrites.SaveAsync(db, HttpContext, Resource.Type, ct) is { } failed)
        {
            await HttpContext.Response.SendResultAsync(failed);
            return;
        }
        await transaction.CommitAsync(ct);
        await ResourceWrites.ContentChangedAsync(HttpContext, ct);
        await ResourceWrites.SendAsync(HttpContext, output, entity.Version, StatusCodes.Status201Created, location, ct);
    }
}

/// <summary>GET /v1/manage/{plural}/{id}: any status, drafts included; the ETag is what If-Match wants.</summary>
public abstract class GetResource<TResource, TEntity, TInput, TOutput> : EndpointWithoutRequest<TOutput>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static readonly TResource Resource = new();

    public override void Configure()
    {
        Get($"/v1/manage/{Resource.Plural}/{{id}}");
        Policies(ApiScopes.Write);
        Summary(s =>
        {
            s.Summary = $"Get a {Resource.Type} to edit";
            s.Description = $"The {Resource.Type} by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        var entity = problem is null
            ? await Resource.Load(Resolve<ContentDb>()).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct)
            : null;
        if (entity is null)
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No {Resource.Type} has the id {id}."));
            return;
        }
        await ResourceWrites.SendAsync(HttpContext, Resource.ToOutput(entity), entity.Version, ct: ct);
    }
}

/// <summary>GET /v1/manage/{plural}: every item, newest first, paged by cursor.</summary>
public abstract class ListResources<TResource, TEntity, TInput, TOutput> : Endpoint<ManagedListRequest, ListResponse<TOutput>>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static readonly TResource Resource = new();

    public override void Configure()
    {
        Get($"/v1/manage/{Resource.Plural}");
        Policies(ApiScopes.Write);
        Summary(s =>
        {
            s.Summary = $"List {Resource.Plural} to edit";
            s.Description = $"Every {Resource.Type}, drafts included, newest first.";
        });
    }

    public override async Task HandleAsync(ManagedListRequest request, CancellationToken ct)
    {
        if (request.Status is not null && typeof(TEntity) != typeof(Article))
        {
            await HttpContext.Response.SendResultAsync(JsonBody.Invalid("status", $"Only articles have a status; {Resource.Plural} do not."));
            return;
        }
        var query = Resource.Filter(Resource.Load(Resolve<ContentDb>()).AsNoTracking(), request).AsSplitQuery();
        var page = await NewestFirstPage.ReadAsync(HttpContext, query, e => e.Id, request, Resource.ToOutput, ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(page, ct);
    }
}

/// <summary>PUT and PATCH share everything after reading the body: If-Match, slug, references, version, audit.</summary>
public static class ResourceUpdate<TResource, TEntity, TInput, TOutput>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    public static readonly TResource Resource = new();

    /// <summary>The tracked entity and the version If-Match named, or the problem that stops the write.</summary>
    public static async Task<(TEntity? Entity, int Version, IResult? Problem)> LoadForWriteAsync(HttpContext http, ContentDb db,
        string? idValue, CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(idValue);
        if (problem is not null)
        {
            return (null, 0, problem);
        }
        var entity = await Resource.Load(db).AsSplitQuery().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entity is null)
        {
            return (null, 0, Problems.NotFound($"No {Resource.Type} has the id {id}."));
        }
        var (version, stale) = ResourceWrites.RequireIfMatch(http, entity.Version);
        return stale is null ? (entity, version, null) : (null, 0, stale);
    }

    public static async Task ApplyAndSendAsync(HttpContext http, ContentDb db, TEntity entity, TInput input, int version,
        string action, CancellationToken ct)
    {
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = entity.Slug;
        var errors = new Dictionary<string, string[]>();
        await Resource.ApplyAsync(db, entity, input, errors, ct);
        if (errors.Count > 0)
        {
            await http.Response.SendResultAsync(Problems.BadRequest(errors));
            return;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, Resource.Type, entity, input.Slug!, oldSlug, now, ct) is { } conflict)
        {
            await http.Response.SendResultAsync(conflict);
            return;
        }
        ResourceWrites.Stamp(db, http, entity, Resource.Type, action, now, version);
        await ResourceWrites.SaveAndSendAsync(db, http, Resource.Type, () => Resource.ToOutput(entity), entity.Version, ct);
    }
}

/// <summary>PUT /v1/manage/{plural}/{id}: replaces every field; needs If-Match.</summary>
public abstract class ReplaceResource<TResource, TEntity, TInput, TOutput> : EndpointWithoutRequest<TOutput>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static TResource Resource => ResourceUpdate<TResource, TEntity, TInput, TOutput>.Resource;

    public override void Configure()
    {
        Put($"/v1/manage/{Resource.Plural}/{{id}}");
        Policies(ApiScopes.Write);
        Description(d => d.Accepts<TInput>("application/json"));
        Summary(s =>
        {
            s.Summary = $"Replace a {Resource.Type}";
            s.Description = $"Replaces every field of the {Resource.Type} with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var db = Resolve<ContentDb>();
        var (entity, version, problem) = await ResourceUpdate<TResource, TEntity, TInput, TOutput>.LoadForWriteAsync(HttpContext, db, Route<string>("id"), ct);
        if (entity is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var (_, input, invalid) = await JsonBody.ReadInputAsync(HttpContext, Resource.Validator, ct);
        if (input is null)
        {
            await HttpContext.Response.SendResultAsync(invalid!);
            return;
        }
        await ResourceUpdate<TResource, TEntity, TInput, TOutput>.ApplyAndSendAsync(HttpContext, db, entity, input, version, "replace", ct);
    }
}

/// <summary>PATCH /v1/manage/{plural}/{id}: a JSON Merge Patch (RFC 7396) of the input shape; needs If-Match.</summary>
public abstract class PatchResource<TResource, TEntity, TInput, TOutput> : EndpointWithoutRequest<TOutput>
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static TResource Resource => ResourceUpdate<TResource, TEntity, TInput, TOutput>.Resource;

    public override void Configure()
    {
        Patch($"/v1/manage/{Resource.Plural}/{{id}}");
        Policies(ApiScopes.Write);
        Description(d => d.Accepts<TInput>(JsonBody.MergePatchType, "application/json"));
        Summary(s =>
        {
            s.Summary = $"Change some fields of a {Resource.Type}";
            s.Description = "A JSON Merge Patch (RFC 7396): the fields sent replace the current ones, null clears one, " +
                            "the rest stay. Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var db = Resolve<ContentDb>();
        var (entity, version, problem) = await ResourceUpdate<TResource, TEntity, TInput, TOutput>.LoadForWriteAsync(HttpContext, db, Route<string>("id"), ct);
        if (entity is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var (body, unreadable) = await JsonBody.ReadAsync(HttpContext, mergePatch: true, ct);
        if (body is null)
        {
            await HttpContext.Response.SendResultAsync(unreadable!);
            return;
        }
        if (body.Json is not System.Text.Json.Nodes.JsonObject)
        {
            await HttpContext.Response.SendResultAsync(JsonBody.Invalid("body", "A merge patch is a JSON object of the fields to change."));
            return;
        }
        var current = JsonSerializer.SerializeToNode(Resource.ToInput(entity), ApiJson.Options);
        var (input, invalid) = await JsonBody.BindAsync(MergePatch.Apply(current, body.Json)!, Resource.Validator, ct);
        if (input is null)
        {
            await HttpContext.Response.SendResultAsync(invalid!);
            return;
        }
        await ResourceUpdate<TResource, TEntity, TInput, TOutput>.ApplyAndSendAsync(HttpContext, db, entity, input, version, "patch", ct);
    }
}

/// <summary>DELETE /v1/manage/{plural}/{id}: 409 while something still uses it; needs If-Match.</summary>
public abstract class DeleteResource<TResource, TEntity, TInput, TOutput> : EndpointWithoutRequest
    where TResource : ManagedResource<TEntity, TInput, TOutput>, new()
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    private static TResource Resource => ResourceUpdate<TResource, TEntity, TInput, TOutput>.Resource;

    public override void Configure()
    {
        Delete($"/v1/manage/{Resource.Plural}/{{id}}");
        Policies(ApiScopes.Write);
        Summary(s =>
        {
            s.Summary = $"Delete a {Resource.Type}";
            s.Description = typeof(TEntity) == typeof(Article)
                ? "Archives the article: it leaves the public API, whose address for it answers 410 Gone from then on if it was ever public (404 if it never was). Needs If-Match."
                : $"Deletes the {Resource.Type}; 409 while articles or works still use it, naming them. Needs If-Match.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var db = Resolve<ContentDb>();
        var (entity, version, problem) = await ResourceUpdate<TResource, TEntity, TInput, TOutput>.LoadForWriteAsync(HttpContext, db, Route<string>("id"), ct);
        if (entity is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        if (await Resource.InUseAsync(db, entity, ct) is { } uses)
        {
            await HttpContext.Response.SendResultAsync(Problems.Status(StatusCodes.Status409Conflict, "Conflict",
                $"The {Resource.Type} '{entity.Slug}' is still used by {uses}. Remove it from them first."));
            return;
        }
        var now = Resolve<TimeProvider>().GetUtcNow();
        Resource.Delete(db, entity);
        ResourceWrites.Stamp(db, HttpContext, entity, Resource.Type, "delete", now, version);
        if (await ResourceWrites.SaveAsync(db, HttpContext, Resource.Type, ct) is { } failed)
        {
            await HttpContext.Response.SendResultAsync(failed);
            return;
        }
        await ResourceWrites.ContentChangedAsync(HttpContext, ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.NoContentAsync(ct);
    }
}
