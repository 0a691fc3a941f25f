using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Keys;

public sealed class ListKeys(ContentDb db) : EndpointWithoutRequest<IReadOnlyList<KeyResponse>>
{
    public override void Configure()
    {
        Get("/v1/manage/keys");
        Policies(ApiScopes.Admin);
        Tags("API keys");
        Summary(s =>
        {
            s.Summary = "List API keys";
            s.Description = "Every key, revoked and expired ones included, newest first, with its scopes and last use. Secrets are never shown.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.Id).ToListAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(keys.Select(KeyResponse.From).ToList(), ct);
    }
}
