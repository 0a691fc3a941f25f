using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace ContentApi.Manage;

/// <summary>The rules every management write follows, in one place: ids, If-Match, slugs, audit, saving, answering.</summary>
public static class ResourceWrites
{
    public const string PrivateNoStore = "private, no-store";

    public static (Guid Id, IResult? Problem) ParseId(string? value) =>
        Guid.TryParse(value, out var id)
            ? (id, null)
            : (Guid.Empty, JsonBody.Invalid("id", $"'{value}' is not an id; ids are UUIDs like 0198c6e2-7a4b-7c3d-9e1f-2a3b4c5d6e7f."));

    /// <summary>
    /// The version the client says it is changing: 428 without If-Match, 412 when it is not the current version.
    /// </summary>
    public static (int Version, IResult? Problem) RequireIfMatch(HttpContext http, int current, bool required = true)
    {
        var header = http.Request.Headers.IfMatch;
        if (StringValues.IsNullOrEmpty(header))
        {
            return required
                ? (0, Problems.Status(StatusCodes.Status428PreconditionRequired, "Precondition required",
                    $"Send If-Match with the ETag from your last read of this resource (currently {ETag(current)}), so that a change made since is not overwritten."))
                : (current, null);
        }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags) || tags.Count == 0)
        {
            return (0, JsonBody.Invalid("If-Match", "If-Match must be an entity tag in quotes, like \"3\", or *."));
        }
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || (!tag.IsWeak && tag.Tag.Equals(ETag(current), StringComparison.Ordinal)))
            {
                return (current, null);
            }
        }
        return (0, Problems.Status(StatusCodes.Status412PreconditionFailed, "Precondition failed",
            $"The resource has changed since you read it: its ETag is now {ETag(current)}. Read it again, reapply your change and retry."));
    }

    public static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>409 when another resource of the same kind has the slug; otherwise moves former slugs as a rename needs.</summary>
    public static async Task<IResult?> ClaimSlugAsync<TEntity>(ContentDb db, string type, TEntity entity, string newSlug,
        string? oldSlug, DateTimeOffset now, CancellationToken ct)
        where TEntity : class, IManagedEntity
    {
        var id = entity.Id;
        if (await db.Set<TEntity>().AnyAsync(e => e.Slug == newSlug && e.Id != id, ct))
        {
            return SlugTaken(type, newSlug);
        }
        if (oldSlug == newSlug)
        {
            return null;
        }
        // A slug used before (by this or another resource) now means this one.
        var reused = await db.FormerSlugs.FirstOrDefaultAsync(f => f.ResourceType == type && f.Slug == newSlug, ct);
        if (reused is not null)
        {
            db.FormerSlugs.Remove(reused);
        }
        if (oldSlug is not null)
        {
            // The old address keeps answering on the delivery API, with a 301 to the new one.
            db.FormerSlugs.Add(new FormerSlug { ResourceType = type, Slug = oldSlug, ResourceId = id, CreatedAt = now });
        }
        return null;
    }

    private static IResult SlugTaken(string type, string slug) => Problems.Status(StatusCodes.Status409Conflict, "Conflict",
        $"The slug '{slug}' is already used by another {type}; choose another.");

    /// <summary>Stamps the entity and records who changed it, ready for one SaveChanges.</summary>
    public static void Stamp(ContentDb db, HttpContext http, IManagedEntity entity, string type, string action,
        DateTimeOffset now, int? expectedVersion)
    {
        if (expectedVersion is { } version)
        {
            // The update only matches the row if nobody has written it since the client's read.
            db.Entry(entity).Property(nameof(IManagedEntity.Version)).OriginalValue = version;
            entity.Version = version + 1;
        }
        else
        {
            entity.CreatedAt = now;
            entity.Version = 1;
        }
        entity.UpdatedAt = now;
        db.AuditLog.Add(AuditFor(http, action, type, entity.Id, entity.Slug, entity.Version, now));
    }

    public static AuditEntry AuditFor(HttpContext http, string action, string type, Guid id, string? slug, int? version,
        DateTimeOffset now) => new()
    {
        At = now,
        KeyId = Guid.TryParse(http.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim), out var keyId) ? keyId : null,
        KeyName = http.User.Identity?.Name ?? "anonymous",
        Action = action,
        ResourceType = type,
        ResourceId = id,
        Slug = slug,
        Version = version,
    };

    /// <summary>
    /// Saves, turning what the database refuses into the client's problem: a concurrent write (412), a slug taken
    /// in the meantime (409), a referenced resource deleted in the meantime or still in use (409).
    /// </summary>
    public static async Task<IResult?> SaveAsync(ContentDb db, HttpContext http, string type, CancellationToken ct)
    {
        try
        {
            await Changes.ContentChanges.SaveAsync(db, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Status(StatusCodes.Status412PreconditionFailed, "Precondition failed",
                $"The {type} was changed by another request while this one was being applied. Read it again, reapply your change and retry.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Conflict",
                $"Another request took this {type}'s slug at the same moment; choose another.");
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Conflict",
                $"A resource this {type} refers to, or that refers to it, changed at the same moment. Read it again and retry.");
        }
        return null;
    }

    /// <summary>Saves the change and answers with the resource as it now is, or with the problem that stopped it.</summary>
    public static async Task SaveAndSendAsync<T>(ContentDb db, HttpContext http, string type, Func<T> output, int version,
        CancellationToken ct)
    {
        if (await SaveAsync(db, http, type, ct) is { } failed)
        {
            await http.Response.SendResultAsync(failed);
            return;
        }
        await ContentChangedAsync(http, ct);
        await SendAsync(http, output(), version, ct: ct);
    }

    /// <summary>After a commit: evict the cached delivery answers it made stale, before the writer reads them again.</summary>
    public static Task ContentChangedAsync(HttpContext http, CancellationToken ct)
    {
        http.RequestServices.GetRequiredService<Webhooks.WebhookDispatcher>().Wake(); // the change is in the outbox
        return http.RequestServices.GetRequiredService<DeliveryCacheFollower>().CatchUpAsync(ct);
    }

    /// <summary>A management answer: never cached by anyone but the client, its ETag the version.</summary>
    public static async Task SendAsync<T>(HttpContext http, T body, int version, int status = StatusCodes.Status200OK,
        string? location = null, CancellationToken ct = default)
    {
        var response = http.Response;
        response.Headers.CacheControl = PrivateNoStore;
        response.Headers.ETag = ETag(version);
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        if (status == StatusCodes.Status200OK && HttpMethods.IsGet(http.Request.Method)
            && EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var tags)
            && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(ETag(version), StringComparison.Ordinal)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            await response.StartAsync(ct); // sent, with no body
            return;
        }
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), ct);
    }
}
