using ContentApi.Content;

namespace ContentApi.Articles;

// Shapes the article endpoints answer with. Small summaries (section, author, topic, work) are what a card or a
// byline needs; each has its own endpoint for the whole resource.

/// <summary>A section as an article shows it.</summary>
public sealed record SectionSummary(string Slug, string Name);

/// <summary>An author as a byline shows it.</summary>
public sealed record AuthorSummary(string Slug, string Name, string? AvatarUrl);

/// <summary>A topic as a tag list shows it.</summary>
public sealed record TopicSummary(string Slug, string Name);

/// <summary>An image with its alternative text and credit.</summary>
public sealed record ImageResponse(string Url, string? Alt, string? Credit);

/// <summary>One of the publisher's works, as the "related works" strip shows it.</summary>
public sealed record WorkSummary(string Slug, WorkKind Kind, string Title, string? ShortLabel, string? Subtitle,
    string? Creators, string? CoverUrl, string? Url);

/// <summary>Where a republished article first appeared.</summary>
public sealed record OriginalPublicationResponse(string Outlet, string? Url, DateOnly? PublishedOn, string? Title);

/// <summary>An article in a list: what a card needs.</summary>
public sealed record ArticleCard(
    Guid Id,
    string Slug,
    string Title,
    string? Dek,
    string? Excerpt,
    SectionSummary Section,
    IReadOnlyList<AuthorSummary> Authors,
    IReadOnlyList<TopicSummary> Topics,
    ImageResponse? Image,
    DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt,
    int ReadingMinutes);

/// <summary>A photo placed in the article's body (the same as its figure block), with its caption and credit.</summary>
public sealed record FigureResponse(string Key, string Url, string? Alt, string? Caption, string? Credit);

/// <summary>The body three ways: sanitized HTML, typed blocks, plain text.</summary>
public sealed record ArticleBodyResponse(string Html, IReadOnlyList<BodyBlock> Blocks, string Text);

/// <summary>One article with everything its page shows.</summary>
public sealed record ArticleResponse(
    Guid Id,
    string Slug,
    string Title,
    string? Dek,
    string? Excerpt,
    SectionSummary Section,
    IReadOnlyList<AuthorSummary> Authors,
    IReadOnlyList<TopicSummary> Topics,
    ImageResponse? Image,
    DateTimeOffset PublishedAt,
    DateTimeOffset UpdatedAt,
    string CanonicalUrl,
    OriginalPublicationResponse? OriginalPublication,
    ArticleBodyResponse Body,
    IReadOnlyList<FigureResponse> Figures,
    IReadOnlyList<WorkSummary> RelatedWorks,
    int WordCount,
    int ReadingMinutes);
