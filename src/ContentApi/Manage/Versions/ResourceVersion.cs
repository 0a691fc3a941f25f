namespace ContentApi.Manage.Versions;

/// <summary>
/// An article, author, section, topic or work as it was after one committed change: the management API's view of
/// it (what GET /v1/manage/{kind}/{id} answered then), with who changed it, how and when. Written in the change's
/// own transaction; never updated; removed only by retention pruning.
/// </summary>
public sealed class ResourceVersion
{
    public Guid ResourceId { get; set; }
    /// <summary>The resource's version after the change: the ETag it had then.</summary>
    public int Version { get; set; }
    /// <summary>article, author, section, topic or work.</summary>
    public required string ResourceType { get; set; }
    public DateTimeOffset At { get; set; }
    public required string KeyName { get; set; }
    /// <summary>The audit action: create, replace, patch, restore, publish, schedule, unpublish, archive, delete.</summary>
    public required string Action { get; set; }
    /// <summary>The resource as JSON, in the management API's shape, exactly as it was serialized.</summary>
    public required string Snapshot { get; set; }
}
