namespace ContentApi.Changes;

/// <summary>
/// One change to public content, in commit order: the change feed's item and the webhook outbox's event. Written in
/// the same transaction as the change itself, so a rolled-back write leaves no event.
/// </summary>
public sealed class ContentChange
{
    /// <summary>Increases with every change, in the order the changes committed (see <see cref="ContentChanges"/>).</summary>
    public long Sequence { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>article, author, section, topic or work.</summary>
    public required string ResourceType { get; set; }
    /// <summary>created, updated, deleted, published or unpublished.</summary>
    public required string Action { get; set; }
    public Guid ResourceId { get; set; }
    public required string Slug { get; set; }
    public int Version { get; set; }
}
