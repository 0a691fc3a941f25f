using ContentApi.Manage;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Webhooks;

/// <summary>The event types a webhook can ask for: a kind and what happened to it.</summary>
public static class WebhookEvents
{
    public const string Test = "webhook.test";

    public static readonly string[] All =
    [
        "article.published", "article.updated", "article.unpublished", "article.deleted",
        .. new[] { "author", "section", "topic", "work" }.SelectMany(kind => new[] { $"{kind}.created", $"{kind}.updated", $"{kind}.deleted" }),
    ];
}

/// <summary>What registers or changes a webhook endpoint.</summary>
/// <param name="Url">Where events are POSTed: an https URL on the public internet.</param>
/// <param name="EventTypes">The event types to receive, like 'article.published'; empty or left out for all of them.</param>
/// <param name="Description">What the endpoint is for.</param>
/// <param name="Enabled">false holds deliveries: events are still queued (pending in the delivery log) and are sent once it is true again (after a 410, say). On registration it is true.</param>
public sealed record WebhookInput(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled)
{
    /// <summary>What a PUT or PATCH checks before it reads the body, and what a PATCH is merged into.</summary>
    public static readonly CurrentInput<WebhookInput> Current = ResourceWrites.Current(db => db.WebhookEndpoints, "webhook endpoint",
        (WebhookEndpoint e) => new WebhookInput(e.Url, e.EventTypes, e.Description, e.Enabled));
}

/// <summary>A webhook endpoint (never its secret, which is shown once at registration).</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">The event types it receives; empty for all.</param>
/// <param name="Description">What it is for.</param>
/// <param name="Enabled">Whether deliveries are made.</param>
/// <param name="DisabledReason">Why it is off, when it is.</param>
/// <param name="PreviousSecretExpiresAt">After a secret rotation: until when deliveries are also signed with the old secret.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Version">Increases with every change; the ETag is this number in quotes.</param>
public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Enabled,
    string? DisabledReason, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static WebhookResponse From(WebhookEndpoint e) => new(e.Id, e.Url, e.EventTypes, e.Description, e.Enabled, e.DisabledReason,
        e.PreviousSecret is null ? null : e.PreviousSecretExpiresAt, e.CreatedAt, e.UpdatedAt, e.Version);
}

/// <summary>A new endpoint with its signing secret, shown this once.</summary>
/// <param name="Webhook">The endpoint.</param>
/// <param name="Secret">The Standard Webhooks signing secret ('whsec_' and base64): verify webhook-signature with it. Null in the replay of an Idempotency-Key retry: the secret is shown once.</param>
public sealed record RegisteredWebhookResponse(WebhookResponse Webhook, string? Secret);

/// <summary>One event's delivery to one endpoint.</summary>
/// <param name="Id">The delivery's id; the webhook-id header is 'msg_' and this id without hyphens.</param>
/// <param name="EventType">What happened, like 'article.published'.</param>
/// <param name="Sequence">The change's sequence in /v1/changes; null for a test event.</param>
/// <param name="Status">pending, delivered or failed.</param>
/// <param name="Attempts">How many times it was sent.</param>
/// <param name="NextAttemptAt">When it is sent next, while pending.</param>
/// <param name="LastAttemptAt">When it was last sent.</param>
/// <param name="LastStatusCode">The receiver's last status code; null when it did not answer.</param>
/// <param name="LastError">What went wrong last time, if anything.</param>
/// <param name="CreatedAt">When the event was queued for this endpoint.</param>
/// <param name="DeliveredAt">When the receiver accepted it.</param>
public sealed record WebhookDeliveryResponse(Guid Id, string EventType, long? Sequence, string Status, int Attempts,
    DateTimeOffset NextAttemptAt, DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(d.Id, d.EventType, d.Sequence, d.Status, d.Attempts,
        d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode, d.LastError, d.CreatedAt, d.DeliveredAt);
}

public sealed class WebhookInputValidator : Validator<WebhookInput>
{
    public WebhookInputValidator()
    {
        RuleFor(w => w.Url).NotEmpty().MaximumLength(2048);
        RuleFor(w => w.Description).MaximumLength(500);
        RuleForEach(w => w.EventTypes).Must(t => WebhookEvents.All.Contains(t))
            .WithMessage($"Each event type must be one of: {string.Join(", ", WebhookEvents.All)}.");
    }
}
