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

    /// <summary>
    /// The Retention section, refused when a value is below 1: zero or a negative age would have the job delete every
    /// record of its kind (all but each resource's newest version), which no one means.
    /// </summary>
    public static RetentionSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Retention").Get<RetentionSettings>() ?? new RetentionSettings();
        foreach (var (name, value) in new (string, int?)[]
                 {
                     (nameof(WebhookDeliveryDays), settings.WebhookDeliveryDays), (nameof(IdempotencyKeyHours), settings.IdempotencyKeyHours),
                     (nameof(AuditDays), settings.AuditDays), (nameof(VersionsKept), settings.VersionsKept),
                     (nameof(VersionDays), settings.VersionDays), (nameof(IntervalMinutes), settings.IntervalMinutes),
                 })
        {
            if (value < 1)
            {
                throw new InvalidOperationException($"Retention:{name} must be at least 1; it is {value}. Leave it unset for the default.");
            }
        }
        return settings;
    }
}
