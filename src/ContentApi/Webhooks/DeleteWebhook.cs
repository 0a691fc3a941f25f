using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class DeleteWebhook(ContentDb db, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "Delete a webhook endpoint";
            s.Description = "Stops deliveries to it and removes it with its delivery log. Needs If-Match with the current ETag.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (endpoint, problem) = await WebhookLookup.FindAsync(db, Route<string>("id"), tracked: true, ct);
        if (endpoint is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var (version, stale) = ResourceWrites.RequireIfMatch(HttpContext, endpoint.Version);
        if (stale is not null)
        {
            await HttpContext.Response.SendResultAsync(stale);
            return;
        }
        db.Entry(endpoint).Property(e => e.Version).OriginalValue = version;
        db.WebhookEndpoints.Remove(endpoint);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "delete", "webhook", endpoint.Id, null, version, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await HttpContext.Response.SendResultAsync(WebhookLookup.ChangedMeanwhile());
            return;
        }
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.NoContentAsync(ct);
    }
}
