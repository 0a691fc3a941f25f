namespace ContentApi.Content;

/// <summary>
/// What every resource the management API writes has: an id, a slug, timestamps and a version that each write
/// increments. The version is the ETag that If-Match compares and the concurrency token that stops lost updates.
/// </summary>
public interface IManagedEntity
{
    Guid Id { get; }
    string Slug { get; set; }
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
    int Version { get; set; }
}
