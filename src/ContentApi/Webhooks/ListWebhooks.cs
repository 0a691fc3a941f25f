using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class ListWebhooks(ContentDb db) : EndpointWithoutRequest<IReadOnlyList<WebhookResponse>>
{
    public override void Configure()
    {
        Get("/v1/manage/webhooks");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Summary(s =>
        {
            s.Summary = "List webhook endpoints";
            s.Description = "Every registered endpoint, newest first, enabled or not. Secrets are never shown.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderByDescending(e => e.Id).ToListAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(endpoints.Select(WebhookResponse.From).ToList(), ct);
    }
}
