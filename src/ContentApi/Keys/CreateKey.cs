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
                            "only its hash is stored, so it cannot be shown again.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (_, input, problem) = await JsonBody.ReadInputAsync(HttpContext, new KeyInputValidator(clock), ct);
        if (input is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var now = clock.GetUtcNow();
        var (key, secret) = await ApiKeySecrets.IssueAsync(db, input.Name!, input.Scopes!, input.ExpiresAt, now, ct);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "create", "key", key.Id, key.Name, null, now));
        await db.SaveChangesAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        HttpContext.Response.Headers.Location = $"/v1/manage/keys/{key.Id}";
        await Send.ResponseAsync(new CreatedKeyResponse(KeyResponse.From(key), secret), StatusCodes.Status201Created, ct);
    }
}
