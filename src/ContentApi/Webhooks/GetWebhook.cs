using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;

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
        var (endpoint, problem) = await WebhookLookup.FindAsync(db, Route<string>("id"), tracked: false, ct);
        if (endpoint is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        await ResourceWrites.SendAsync(HttpContext, WebhookResponse.From(endpoint), endpoint.Version, ct: ct);
    }
}
