namespace ContentApi.Webhooks;

/// <summary>A partner's URL that receives signed events about public content.</summary>
public sealed class WebhookEndpoint : Content.IVersionedEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Url { get; set; }
    public string? Description { get; set; }
    /// <summary>The event types it wants ("article.published"...); empty means all of them.</summary>
    public List<string> EventTypes { get; set; } = [];
    /// <summary>
    /// The signing secret, "whsec_" and base64. Kept as is because every delivery is signed with it (a hash would not do);
    /// it is shown once, at registration, and never returned again.
    /// </summary>
    public required string Secret { get; set; }
    /// <summary>The secret a rotation replaced; deliveries are signed with it too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Why it was turned off, when it was: by an admin, or because it answered 410 Gone.</summary>
    public string? DisabledReason { get; set; }
    /// <summary>Only changes after this sequence are sent: an endpoint does not receive the history before it existed.</summary>
    public long StartsAfterSequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>One event for one endpoint, from the outbox to its receiver: the log the admin API shows.</summary>
public sealed class WebhookDelivery
{
    /// <summary>Also the webhook-id header, the same on every retry, so receivers can drop duplicates.</summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid EndpointId { get; set; }
    /// <summary>The change it reports; null for a test event.</summary>
    public long? Sequence { get; set; }
    public required string EventType { get; set; }
    /// <summary>The exact body sent, so that every retry sends (and signs) the same bytes.</summary>
    public required string Payload { get; set; }
    /// <summary>pending, delivered or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>How far the dispatcher has turned changes into deliveries (one row).</summary>
public sealed class WebhookDispatchState
{
    public int Id { get; set; }
    public long LastSequence { get; set; }
}
