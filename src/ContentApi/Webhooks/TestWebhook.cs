using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Webhooks;

public sealed class TestWebhook(ContentDb db, WebhookDispatcher dispatcher) : EndpointWithoutRequest<WebhookDeliveryResponse>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks/{id}/test");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "Send a test event to a webhook endpoint";
            s.Description = "Queues a signed 'webhook.test' event for the endpoint and answers 202 with its delivery; follow it in " +
                            "the endpoint's delivery log.";
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
        var now = await WebhookDispatcher.DatabaseNowAsync(db, ct); // due by the clock the dispatcher compares with
        var delivery = new WebhookDelivery
        {
            EndpointId = endpoint.Id,
            EventType = WebhookEvents.Test,
            Payload = JsonSerializer.Serialize(new { type = WebhookEvents.Test, timestamp = now, data = new { endpointId = endpoint.Id } }, ApiJson.Options),
            Status = "pending",
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        dispatcher.Wake();
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        HttpContext.Response.Headers.Location = $"/v1/manage/webhooks/{endpoint.Id}/deliveries";
        await Send.ResponseAsync(WebhookDeliveryResponse.From(delivery), StatusCodes.Status202Accepted, ct);
    }
}
