using ContentApi.Content;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class RotateWebhookSecret(ContentDb db, TimeProvider clock, WebhookSettings settings) : EndpointWithoutRequest<RegisteredWebhookResponse>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks/{id}/rotate-secret");
        Policies(ApiScopes.Admin);
        Summary(s =>
        {
            s.Summary = "Rotate a webhook endpoint's signing secret";
            s.Description = "Makes a new signing secret and answers it, once. For a grace period (Webhooks:SecretRotationGraceHours, " +
                            "24 by default; see previousSecretExpiresAt) every delivery carries two signatures in webhook-signature, " +
                            "one per secret, so the receiver can switch to the new secret at any time in between. Rotating again " +
                            "drops the oldest secret at once.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (endpoint, problem) = await WebhookLookup.FindAsync(db, Route<string>("id"), tracked: true, ct);
        if (endpoint is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var (version, stale) = ResourceWrites.RequireIfMatch(HttpContext, endpoint.Version, required: false);
        if (stale is not null)
        {
            await HttpContext.Response.SendResultAsync(stale);
            return;
        }
        var now = clock.GetUtcNow();
        endpoint.PreviousSecret = endpoint.Secret;
        endpoint.PreviousSecretExpiresAt = now.AddHours(settings.SecretRotationGraceHours);
        endpoint.Secret = WebhookSignature.NewSecret();
        db.Entry(endpoint).Property(e => e.Version).OriginalValue = version;
        endpoint.Version = version + 1;
        endpoint.UpdatedAt = now;
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "rotate-secret", "webhook", endpoint.Id, null, endpoint.Version, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await HttpContext.Response.SendResultAsync(WebhookLookup.ChangedMeanwhile());
            return;
        }
        await ResourceWrites.SendAsync(HttpContext, new RegisteredWebhookResponse(WebhookResponse.From(endpoint), endpoint.Secret),
            endpoint.Version, ct: ct);
    }
}
