using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class GetWebhook(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Description(d => d.Produces<WebhookResponse>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a webhook endpoint";
            s.Description = "The endpoint, with the ETag to send as If-Match when changing or deleting it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (endpoint, missing) = await ResourceWrites.FindAsync(db.WebhookEndpoints.AsNoTracking(), Route<string>("id"), "webhook endpoint", ct);
        return endpoint is null ? missing! : ResourceWrites.Answer(WebhookResponse.From(endpoint), endpoint.Version);
    }
}
