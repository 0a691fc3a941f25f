using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Webhooks;

public sealed class DeleteWebhook(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a webhook endpoint";
            s.Description = "Stops deliveries to it and removes it with its delivery log. Needs If-Match with the current ETag.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (endpoint, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.WebhookEndpoints, Route<string>("id"),
            "webhook endpoint", ifMatchRequired: true, ct);
        if (endpoint is null)
        {
            return problem!;
        }
        db.WebhookEndpoints.Remove(endpoint);
        ResourceWrites.Stamp(db, HttpContext, endpoint, "webhook", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "webhook endpoint", ct);
    }
}
