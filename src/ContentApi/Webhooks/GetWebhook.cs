using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class GetWebhook(ContentDb db) : EndpointWithoutRequest<WebhookResponse>
{
    public override void Configure()
    {
        Get("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "Get a webhook endpoint";
            s.Description = "The endpoint, with the ETag to send as If-Match when changing or deleting it.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        var endpoint = problem is null ? await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) : null;
        if (endpoint is null)
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No webhook endpoint has the id {id}."));
            return;
        }
        await ResourceWrites.SendAsync(HttpContext, WebhookResponse.From(endpoint), endpoint.Version, ct: ct);
    }
}
