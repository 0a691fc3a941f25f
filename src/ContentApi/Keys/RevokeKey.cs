using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Keys;

public sealed class RevokeKey(ContentDb db, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/v1/manage/keys/{id}");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "Revoke an API key";
            s.Description = "The key stops working at once (401 from then on); it stays in the list, marked revoked.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        var key = problem is null ? await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct) : null;
        if (key is null)
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No API key has the id {id}."));
            return;
        }
        var now = clock.GetUtcNow();
        key.RevokedAt ??= now;
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "revoke", "key", key.Id, key.Name, null, now));
        await db.SaveChangesAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.NoContentAsync(ct);
    }
}
