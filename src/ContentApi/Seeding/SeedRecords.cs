namespace ContentApi.Seeding;

// The shapes of the files in seeds/, as a person writes them. Everything is nullable so that a missing field
// is reported by the validator with its name, not by the YAML reader as a crash.

public sealed class SectionSeed
{
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
}

public sealed class TopicSeed
{
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
}

public sealed class AuthorSeed
{
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? Bio { get; set; }
    public string? AvatarUrl { get; set; }
    public List<LinkSeed>? Links { get; set; }
}

public sealed class LinkSeed
{
    public string? Label { get; set; }
    public string? Url { get; set; }
}

public sealed class WorkSeed
{
    public string? Slug { get; set; }
    public string? Kind { get; set; }
    public string? Title { get; set; }
    public string? ShortLabel { get; set; }
    public string? Subtitle { get; set; }
    public string? Creators { get; set; }
    public string? Description { get; set; }
    public string? CoverUrl { get; set; }
    public string? Url { get; set; }
    public List<string>? Topics { get; set; }
}

/// <summary>An article's front matter; <see cref="Body"/> is the Markdown after it.</summary>
public sealed class ArticleSeed
{
    public string? Slug { get; set; }
    public string? Title { get; set; }
    public string? Dek { get; set; }
    public string? Section { get; set; }
    public List<string>? Authors { get; set; }
    public List<string>? Topics { get; set; }
    public string? Status { get; set; }
    /// <summary>ISO 8601 with an offset, e.g. 2026-02-06T15:00:00Z.</summary>
    public string? PublishedAt { get; set; }
    public string? Excerpt { get; set; }
    public ImageSeed? Image { get; set; }
    public string? CanonicalUrl { get; set; }
    public OriginalPublicationSeed? OriginalPublication { get; set; }
    public List<string>? RelatedWorks { get; set; }
    public List<string>? FormerSlugs { get; set; }
    public List<FigureSeed>? Figures { get; set; }

    [YamlDotNet.Serialization.YamlIgnore]
    public string Body { get; set; } = "";
}

public sealed class ImageSeed
{
    public string? Url { get; set; }
    public string? Alt { get; set; }
    public string? Credit { get; set; }
}

public sealed class OriginalPublicationSeed
{
    public string? Outlet { get; set; }
    public string? Url { get; set; }
    /// <summary>A date, e.g. 2026-02-05.</summary>
    public string? PublishedOn { get; set; }
    public string? Title { get; set; }
}

public sealed class FigureSeed
{
    public string? Key { get; set; }
    public string? Url { get; set; }
    public string? Alt { get; set; }
    public string? Caption { get; set; }
    public string? Credit { get; set; }
}
