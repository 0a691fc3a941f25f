using ContentApi.Content;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Keys;

public sealed class CreateKey(ContentDb db, TimeProvider clock) : Endpoint<KeyInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/keys");
        Policies(ApiScopes.Admin);
        Tags("API keys");
        RequestBinder(new JsonBodyBinder<KeyInput>());
        Description(d => d.Accepts<KeyInput>("application/json")
            .Produces<CreatedKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create an API key";
            s.Description = "Makes a key with a name, scopes and an optional expiry. The answer holds the secret, once: " +
                            "only its hash is stored, so it cannot be shown again. With an Idempotency-Key header, a retry of the same " +
                            "request creates nothing and answers the same key with a null secret.";
        });
    }

    public override async Task<IResult> ExecuteAsync(KeyInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The key, its audit entry and the idempotency record commit together, or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var (key, secret) = ApiKeySecrets.Issue(db, input.Name!, input.Scopes!, input.ExpiresAt, now);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "create", "key", key.Id, key.Name, null, now));
        // A replay answers the same key without its secret: only the hash is ever stored.
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "key", $"/v1/manage/keys/{key.Id}",
            new CreatedKeyResponse(KeyResponse.From(key), secret), version: null, ct, replay: new CreatedKeyResponse(KeyResponse.From(key), null));
    }
}
