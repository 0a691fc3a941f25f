using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace ContentApi.Manage;

/// <summary>
/// The rules every management write follows, in one place: ids, If-Match, slugs, stamp and audit, saving with the
/// change event, cache eviction, and the answer with its ETag and Location. Each endpoint calls them in order.
/// </summary>
public static class ResourceWrites
{
    public const string PrivateNoStore = "private, no-store";

    public static (Guid Id, IResult? Problem) ParseId(string? value) =>
        Guid.TryParse(value, out var id)
            ? (id, null)
            : (Guid.Empty, JsonBody.Invalid("id", $"'{value}' is not an id; ids are UUIDs like 0198c6e2-7a4b-7c3d-9e1f-2a3b4c5d6e7f."));

    /// <summary>The resource the route's id names, or the 400 (not an id) or 404 (no such resource) that answers instead.</summary>
    public static async Task<(T? Entity, IResult? Problem)> FindAsync<T>(IQueryable<T> rows, string? idValue, string type,
        CancellationToken ct) where T : class, IVersionedEntity
    {
        var (id, problem) = ParseId(idValue);
        if (problem is not null)
        {
            return (null, problem);
        }
        var entity = await rows.FirstOrDefaultAsync(e => e.Id == id, ct);
        return entity is null ? (null, Problems.NotFound($"No {type} has the id {id}.")) : (entity, null);
    }

    /// <summary>
    /// The tracked resource and the version If-Match named, or the problem that stops the write (400, 404, 412, and
    /// 428 when If-Match is required but missing).
    /// </summary>
    public static async Task<(T? Entity, int Version, IResult? Problem)> FindForWriteAsync<T>(HttpContext http, IQueryable<T> rows,
        string? idValue, string type, bool ifMatchRequired, CancellationToken ct) where T : class, IVersionedEntity
    {
        var (entity, missing) = await FindAsync(rows, idValue, type, ct);
        if (entity is null)
        {
            return (null, 0, missing);
        }
        var (version, stale) = RequireIfMatch(http, entity.Version, ifMatchRequired);
        return stale is null ? (entity, version, null) : (null, 0, stale);
    }

    /// <summary>
    /// What a PUT or PATCH binder checks before it reads the body: the resource the route's id names, If-Match, and
    /// the resource as its input shape (what a merge patch applies to). The handler finds it again, tracked, to write.
    /// </summary>
    public static CurrentInput<TInput> Current<TEntity, TInput>(Func<ContentDb, IQueryable<TEntity>> rows, string type,
        Func<TEntity, TInput> toInput) where TEntity : class, IVersionedEntity where TInput : class =>
        async (http, ct) =>
        {
            var db = http.RequestServices.GetRequiredService<ContentDb>();
            var (entity, _, problem) = await FindForWriteAsync(http, rows(db).AsNoTracking(), http.Request.RouteValues["id"] as string, type,
                ifMatchRequired: true, ct);
            return entity is null ? (null, problem) : (toInput(entity), null);
        };

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
            return Problems.Status(StatusCodes.Status409Conflict, "Conflict",
                $"The slug '{newSlug}' is already used by another {type}; choose another.");
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

    /// <summary>The 409 for a delete while other resources still use this one, naming a few of them.</summary>
    public static async Task<IResult?> StillUsedAsync(string type, string slug, CancellationToken ct,
        params (IQueryable<string> Slugs, string What)[] users)
    {
        var uses = new List<string>();
        foreach (var (slugs, what) in users)
        {
            var count = await slugs.CountAsync(ct);
            if (count > 0)
            {
                var sample = await slugs.OrderBy(s => s).Take(5).ToListAsync(ct);
                uses.Add($"{count} {what}{(count == 1 ? "" : "s")} ({string.Join(", ", sample)}{(count > sample.Count ? ", ..." : "")})");
            }
        }
        return uses.Count == 0 ? null : Problems.Status(StatusCodes.Status409Conflict, "Conflict",
            $"The {type} '{slug}' is still used by {string.Join(" and ", uses)}. Remove it from them first.");
    }

    /// <summary>Stamps the entity and records who changed it, ready for one save.</summary>
    public static void Stamp(ContentDb db, HttpContext http, IVersionedEntity entity, string type, string action,
        DateTimeOffset now, int? expectedVersion)
    {
        if (expectedVersion is { } version)
        {
            // The update only matches the row if nobody has written it since the client's read.
            db.Entry(entity).Property(nameof(IVersionedEntity.Version)).OriginalValue = version;
            entity.Version = version + 1;
        }
        else
        {
            entity.CreatedAt = now;
            entity.Version = 1;
        }
        entity.UpdatedAt = now;
        db.AuditLog.Add(AuditFor(http, action, type, entity.Id, (entity as IManagedEntity)?.Slug, entity.Version, now));
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
    /// Saves with the change event, turning what the database refuses into the client's problem: a concurrent write
    /// (412), a slug taken in the meantime (409), a referenced resource deleted in the meantime or still in use (409).
    /// </summary>
    public static async Task<IResult?> SaveAsync(ContentDb db, HttpContext http, string type, CancellationToken ct)
    {
        try
        {
            await Changes.ContentChanges.SaveAsync(db, http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || Versions.ResourceVersions.WasTakenMeanwhile(ex))
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

    /// <summary>Saves a change and answers with the resource as it now is (or 204 when it is gone), or with the problem that stopped it.</summary>
    public static async Task<IResult> SaveAndAnswerAsync<T>(ContentDb db, HttpContext http, string type, Func<T> output, int version,
        CancellationToken ct)
    {
        if (await SaveAsync(db, http, type, ct) is { } failed)
        {
            return failed;
        }
        await ContentChangedAsync(http, ct);
        return Answer(output(), version);
    }

    /// <summary>Saves a deletion and answers 204, or the problem that stopped it.</summary>
    public static async Task<IResult> SaveDeletedAsync(ContentDb db, HttpContext http, string type, CancellationToken ct)
    {
        if (await SaveAsync(db, http, type, ct) is { } failed)
        {
            return failed;
        }
        await ContentChangedAsync(http, ct);
        return NoContent();
    }

    /// <summary>
    /// Saves a new resource with its Idempotency-Key record, commits and answers 201 with Location and ETag. A replay
    /// of the key answers <paramref name="replay"/> (the output without a secret shown once), or the output itself.
    /// </summary>
    public static async Task<IResult> SaveCreatedAsync<T>(ContentDb db, HttpContext http, IDbContextTransaction transaction,
        IdempotentRequest? idempotency, string type, string location, T output, int? version, CancellationToken ct, T? replay = default)
    {
        if (idempotency is not null)
        {
            IdempotencyKeys.Remember(idempotency, StatusCodes.Status201Created, location, version is { } v ? ETag(v) : null,
                JsonSerializer.SerializeToUtf8Bytes(replay ?? output, ApiJson.Options));
        }
        if (await SaveAsync(db, http, type, ct) is { } failed)
        {
            return failed;
        }
        await transaction.CommitAsync(ct);
        await ContentChangedAsync(http, ct);
        return Answer(output, version, StatusCodes.Status201Created, location);
    }

    /// <summary>After a commit: evict the cached delivery answers it made stale, before the writer reads them again.</summary>
    public static Task ContentChangedAsync(HttpContext http, CancellationToken ct)
    {
        http.RequestServices.GetRequiredService<Webhooks.WebhookDispatcher>().Wake(); // the change is in the outbox
        return http.RequestServices.GetRequiredService<DeliveryCacheFollower>().CatchUpAsync(ct);
    }

    /// <summary>
    /// A management answer: never cached by anyone but the client, its ETag the version (when it has one); a GET
    /// whose If-None-Match names the current version is a 304.
    /// </summary>
    public static IResult Answer<T>(T body, int? version, int status = StatusCodes.Status200OK, string? location = null) =>
        new ManagementAnswer<T>(body, version, status, location);

    /// <summary>204, private.</summary>
    public static IResult NoContent() => new ManagementAnswer<object?>(null, null, StatusCodes.Status204NoContent, null);

    private sealed class ManagementAnswer<T>(T body, int? version, int status, string? location) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var response = http.Response;
            response.Headers.CacheControl = PrivateNoStore;
            if (version is { } current)
            {
                response.Headers.ETag = ETag(current);
            }
            if (location is not null)
            {
                response.Headers.Location = location;
            }
            if (status == StatusCodes.Status200OK && version is { } v && HttpMethods.IsGet(http.Request.Method)
                && EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var tags)
                && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.Equals(ETag(v), StringComparison.Ordinal)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                await response.StartAsync(http.RequestAborted); // sent, with no body
                return;
            }
            response.StatusCode = status;
            if (status == StatusCodes.Status204NoContent)
            {
                return;
            }
            response.ContentType = "application/json; charset=utf-8";
            await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, ApiJson.Options), http.RequestAborted);
        }
    }
}
