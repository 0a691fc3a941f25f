namespace ContentApi.Content;

/// <summary>
/// A slug a resource used before it was renamed; the delivery API answers it with a 301 to the current slug.
/// </summary>
public sealed class FormerSlug
{
    /// <summary>Which table the slug belonged to: article, author, section, topic or work.</summary>
    public required string ResourceType { get; set; }
    public required string Slug { get; set; }
    public Guid ResourceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
