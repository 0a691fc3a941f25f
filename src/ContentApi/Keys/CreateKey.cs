using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Keys;

public sealed class CreateKey(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<CreatedKeyResponse>
{
    public override void Configure()
    {
        Post("/v1/manage/keys");
        Policies(ApiScopes.Admin);
        Description(d => d.Accepts<KeyInput>("application/json"));
        Summary(s =>
        {
            s.Summary = "Create an API key";
            s.Description = "Makes a key with a name, scopes and an optional expiry. The answer holds the secret, once: " +
                            "only its hash is stored, so it cannot be shown again. With an Idempotency-Key header, a retry of the same " +
                            "request creates nothing and answers the same key with a null secret.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (body, input, problem) = await JsonBody.ReadInputAsync(HttpContext, new KeyInputValidator(clock), ct);
        if (body is null || input is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var now = clock.GetUtcNow();
        // The key, its audit entry and the idempotency record commit together, or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var start = await IdempotencyKeys.BeginAsync(db, HttpContext, body.Bytes, transaction, now, ct);
        if (start.Answer is not null)
        {
            await HttpContext.Response.SendResultAsync(start.Answer);
            return;
        }
        var (key, secret) = ApiKeySecrets.Issue(db, input.Name!, input.Scopes!, input.ExpiresAt, now);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "create", "key", key.Id, key.Name, null, now));
        var location = $"/v1/manage/keys/{key.Id}";
        if (start.Row is { } row)
        {
            // A replay answers the same key without its secret: only the hash is ever stored.
            IdempotencyKeys.Remember(row, StatusCodes.Status201Created, location, null,
                JsonSerializer.SerializeToUtf8Bytes(new CreatedKeyResponse(KeyResponse.From(key), null), ApiJson.Options));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        HttpContext.Response.Headers.Location = location;
        await Send.ResponseAsync(new CreatedKeyResponse(KeyResponse.From(key), secret), StatusCodes.Status201Created, ct);
    }
}
