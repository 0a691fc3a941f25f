namespace ContentApi.Housekeeping;

/// <summary>Retention: section of the configuration. How long records that only grow are kept.</summary>
public sealed class RetentionSettings
{
    /// <summary>Webhook deliveries (delivered, failed, or still held for a disabled endpoint), counted from their creation.</summary>
    public int WebhookDeliveryDays { get; init; } = 30;
    /// <summary>Idempotency keys: a retry later than this creates anew.</summary>
    public int IdempotencyKeyHours { get; init; } = 24;
    /// <summary>Audit entries, kept longest: they answer "who changed this" long after the fact.</summary>
    public int AuditDays { get; init; } = 365;
    /// <summary>
    /// Resource versions: keep only each resource's newest this many. Unset (the default), every version is kept.
    /// </summary>
    public int? VersionsKept { get; init; }
    /// <summary>
    /// Resource versions: keep only those younger than this many days. Unset (the default), every version is kept.
    /// Either way each resource's newest version stays, however old.
    /// </summary>
    public int? VersionDays { get; init; }
    /// <summary>How often the pruning job runs.</summary>
    public int IntervalMinutes { get; init; } = 60;
}
