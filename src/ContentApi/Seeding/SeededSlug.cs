namespace ContentApi.Seeding;

/// <summary>
/// A seed file's resource that seeding has put in the database once. Startup seeding creates only what is missing,
/// and this is how it tells "never seeded" from "seeded, then deleted by an editor", which it must not bring back.
/// </summary>
public sealed class SeededSlug
{
    /// <summary>article, author, section, topic or work.</summary>
    public required string ResourceType { get; set; }
    /// <summary>The slug the seed files give it (an editor may have renamed the row since).</summary>
    public required string Slug { get; set; }
    public DateTimeOffset SeededAt { get; set; }
}
