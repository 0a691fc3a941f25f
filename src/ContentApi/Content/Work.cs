namespace ContentApi.Content;

/// <summary>One of the publisher's own works (a book, a CD...), shown beside articles as a related work.</summary>
public sealed class Work : IManagedEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public WorkKind Kind { get; set; }
    public required string Title { get; set; }
    /// <summary>A shorter label some pages show instead of the full title.</summary>
    public string? ShortLabel { get; set; }
    public string? Subtitle { get; set; }
    /// <summary>Authors, performers or editors as one line of text.</summary>
    public string? Creators { get; set; }
    public string? Description { get; set; }
    public string? CoverUrl { get; set; }
    public string? Url { get; set; }
    public List<WorkTopic> Topics { get; set; } = [];
    /// <summary>Weighted lexemes for search; computed by PostgreSQL, never written by the app.</summary>
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;
}

public sealed class WorkTopic
{
    public Guid WorkId { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
}
