namespace ContentApi.Content;

/// <summary>A person who writes for the publisher.</summary>
public sealed class Author : IManagedEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Bio { get; set; }
    public string? AvatarUrl { get; set; }
    public List<AuthorLink> Links { get; set; } = [];
    /// <summary>Weighted lexemes for search; computed by PostgreSQL, never written by the app.</summary>
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

/// <summary>A labelled link on an author's profile (a site, a social account).</summary>
public sealed class AuthorLink
{
    public required string Label { get; set; }
    public required string Url { get; set; }
}
