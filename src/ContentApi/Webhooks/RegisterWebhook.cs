using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class RegisterWebhook(ContentDb db, TimeProvider clock, WebhookSettings settings) : Endpoint<WebhookInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        RequestBinder(new JsonBodyBinder<WebhookInput>());
        Description(d => d.Accepts<WebhookInput>("application/json")
            .Produces<RegisteredWebhookResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Register a webhook endpoint";
            s.Description = "Events about public content that change after registration are POSTed to the URL, signed as the " +
                            "Standard Webhooks specification says, as {type, timestamp, data}: data is the change feed's item plus tags, " +
                            "the cache tags the change makes stale (those in delivery answers' Surrogate-Key), for a CDN purge. The answer holds the signing secret, once. With an Idempotency-Key " +
                            "header, a retry of the same request registers nothing and answers the same endpoint with a null secret.";
        });
    }

    public override async Task<IResult> ExecuteAsync(WebhookInput input, CancellationToken ct)
    {
        if (await WebhookAddresses.ProblemWithAsync(input.Url!, settings, ct) is { } refused)
        {
            return JsonBody.Invalid("url", refused);
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var endpoint = new WebhookEndpoint
        {
            Url = input.Url!,
            Description = input.Description,
            EventTypes = (input.EventTypes ?? []).Distinct().ToList(),
            Secret = WebhookSignature.NewSecret(),
            Enabled = input.Enabled ?? true,
            StartsAfterSequence = await db.ContentChanges.MaxAsync(c => (long?)c.Sequence, ct) ?? 0,
        };
        db.WebhookEndpoints.Add(endpoint);
        ResourceWrites.Stamp(db, HttpContext, endpoint, "webhook", "create", now, expectedVersion: null);
        // Like keys, a replay leaves the secret out: it is shown once (rotate-secret makes a new one).
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "webhook endpoint",
            $"/v1/manage/webhooks/{endpoint.Id}", new RegisteredWebhookResponse(WebhookResponse.From(endpoint), endpoint.Secret),
            endpoint.Version, ct, replay: new RegisteredWebhookResponse(WebhookResponse.From(endpoint), null));
    }
}
