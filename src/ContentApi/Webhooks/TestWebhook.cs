using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class TestWebhook(ContentDb db, WebhookDispatcher dispatcher) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks/{id}/test");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Description(d => d.Produces<WebhookDeliveryResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Send a test event to a webhook endpoint";
            s.Description = "Queues a signed 'webhook.test' event for the endpoint and answers 202 with its delivery; follow it in " +
                            "the endpoint's delivery log.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (endpoint, missing) = await ResourceWrites.FindAsync(db.WebhookEndpoints.AsNoTracking(), Route<string>("id"), "webhook endpoint", ct);
        if (endpoint is null)
        {
            return missing!;
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
        return ResourceWrites.Answer(WebhookDeliveryResponse.From(delivery), version: null, StatusCodes.Status202Accepted,
            $"/v1/manage/webhooks/{endpoint.Id}/deliveries");
    }
}
