using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;

namespace ContentApi.Webhooks;

public sealed class RotateWebhookSecret(ContentDb db, TimeProvider clock, WebhookSettings settings) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks/{id}/rotate-secret");
        Policies(ApiScopes.Admin);
        Tags("Webhooks");
        Description(d => d.Produces<RegisteredWebhookResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed));
        Summary(s =>
        {
            s.Summary = "Rotate a webhook endpoint's signing secret";
            s.Description = "Makes a new signing secret and answers it, once. For a grace period (Webhooks:SecretRotationGraceHours, " +
                            "24 by default; see previousSecretExpiresAt) every delivery carries two signatures in webhook-signature, " +
                            "one per secret, so the receiver can switch to the new secret at any time in between. Rotating again " +
                            "drops the oldest secret at once.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (endpoint, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.WebhookEndpoints, Route<string>("id"),
            "webhook endpoint", ifMatchRequired: false, ct);
        if (endpoint is null)
        {
            return problem!;
        }
        var now = clock.GetUtcNow();
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = now.AddHours(settings.SecretRotationGraceHours);
        endpoint.Secret = WebhookSignature.NewSecret();
        ResourceWrites.Stamp(db, HttpContext, endpoint, "webhook", "rotate-secret", now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, HttpContext, "webhook endpoint",
            () => new RegisteredWebhookResponse(WebhookResponse.From(endpoint), endpoint.Secret), endpoint.Version, ct);
    }
}
