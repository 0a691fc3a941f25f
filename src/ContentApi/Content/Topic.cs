namespace ContentApi.Content;

/// <summary>A subject that articles and works are tagged with; an article has many.</summary>
public sealed class Topic : IManagedEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Weighted lexemes for search; computed by PostgreSQL, never written by the app.</summary>
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}
