using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class ListWebhookDeliveries(ContentDb db) : Endpoint<ListRequest, ListResponse<WebhookDeliveryResponse>>
{
    public override void Configure()
    {
        Get("/v1/manage/webhooks/{id}/deliveries");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Description(d => d.ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "An endpoint's delivery log";
            s.Description = "Its deliveries, newest first: event type, status, attempts, the receiver's last answer and the next attempt.";
        });
    }

    public override async Task HandleAsync(ListRequest request, CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        if (problem is not null || !await db.WebhookEndpoints.AnyAsync(e => e.Id == id, ct))
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No webhook endpoint has the id {id}."));
            return;
        }
        var deliveries = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        var page = await NewestFirstPage.ReadAsync(HttpContext, deliveries, d => d.Id, request, WebhookDeliveryResponse.From, ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(page, ct);
    }
}
