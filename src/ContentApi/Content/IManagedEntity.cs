namespace ContentApi.Content;

/// <summary>
/// What every resource the management API writes has: an id, a slug, timestamps and a version that each write
/// increments. The version is the ETag that If-Match compares and the concurrency token that stops lost updates.
/// </summary>
public interface IManagedEntity : IVersionedEntity
{
    // Declared again here, not only inherited: EF's expression lookups (entry.Property(e => e.Version)) need the
    // member on the interface the entry is typed with.
    new Guid Id { get; }
    string Slug { get; set; }
    new DateTimeOffset CreatedAt { get; set; }
    new DateTimeOffset UpdatedAt { get; set; }
    new int Version { get; set; }
}

/// <summary>What If-Match and the audit log need of anything the management API changes: webhooks have it too.</summary>
public interface IVersionedEntity
{
    Guid Id { get; }
    DateTimeOffset CreatedAt { get; set; }
    DateTimeOffset UpdatedAt { get; set; }
    int Version { get; set; }
}
