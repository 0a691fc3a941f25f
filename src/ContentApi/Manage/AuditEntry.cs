namespace ContentApi.Manage;

/// <summary>One change made through the management API: who (the key's name), what and when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? KeyId { get; set; }
    public required string KeyName { get; set; }
    /// <summary>create, replace, patch, restore, delete, publish, schedule, unpublish, archive, or a key action.</summary>
    public required string Action { get; set; }
    public required string ResourceType { get; set; }
    public Guid ResourceId { get; set; }
    public string? Slug { get; set; }
    /// <summary>The resource's version after the change.</summary>
    public int? Version { get; set; }
}
