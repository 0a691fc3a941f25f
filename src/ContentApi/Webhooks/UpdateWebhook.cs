using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Webhooks;

public sealed class UpdateWebhook(ContentDb db, TimeProvider clock, WebhookSettings settings) : Endpoint<WebhookInput, IResult>
{
    public override void Configure()
    {
        Patch("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        RequestBinder(new JsonBodyBinder<WebhookInput>(WebhookInput.Current));
        Description(d => d.Accepts<WebhookInput>(JsonBody.MergePatchType, "application/json")
            .Produces<WebhookResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Change a webhook endpoint";
            s.Description = "A JSON Merge Patch of url, eventTypes, description and enabled (true turns an endpoint disabled by a 410 " +
                            "back on). Needs If-Match with the current ETag.";
        });
    }

    public override async Task<IResult> ExecuteAsync(WebhookInput input, CancellationToken ct)
    {
        var (endpoint, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.WebhookEndpoints, Route<string>("id"),
            "webhook endpoint", ifMatchRequired: true, ct);
        if (endpoint is null)
        {
            return problem!;
        }
        if (input.Url != endpoint.Url && await WebhookAddresses.ProblemWithAsync(input.Url!, settings, ct) is { } refused)
        {
            return JsonBody.Invalid("url", refused);
        }
        endpoint.Url = input.Url!;
        endpoint.EventTypes = (input.EventTypes ?? []).Distinct().ToList();
        endpoint.Description = input.Description;
        if (input.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = enabled ? null : "Disabled by an admin.";
        }
        ResourceWrites.Stamp(db, HttpContext, endpoint, "webhook", "patch", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveAndAnswerAsync(db, HttpContext, "webhook endpoint", () => WebhookResponse.From(endpoint),
            endpoint.Version, ct);
    }
}
