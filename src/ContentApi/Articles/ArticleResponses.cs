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
/// <param name="Slug">The work's address: /v1/works/{slug}.</param>
/// <param name="Kind">Book, CD, DVD, booklet or other.</param>
/// <param name="Title">The full title.</param>
/// <param name="ShortLabel">A shorter label some pages show instead of the title; null when there is none.</param>
/// <param name="Subtitle">The subtitle, if any.</param>
/// <param name="Creators">Authors, performers or editors as one line.</param>
/// <param name="CoverUrl">The cover image.</param>
/// <param name="Url">Where to buy or read about it.</param>
public sealed record WorkSummary(string Slug, WorkKind Kind, string Title, string? ShortLabel, string? Subtitle,
    string? Creators, string? CoverUrl, string? Url);

/// <summary>Where a republished article first appeared.</summary>
/// <param name="Outlet">The publication it first appeared in.</param>
/// <param name="Url">The original's address, when known.</param>
/// <param name="PublishedOn">The date it first appeared.</param>
/// <param name="Title">The title it had there.</param>
public sealed record OriginalPublicationResponse(string Outlet, string? Url, DateOnly? PublishedOn, string? Title);

/// <summary>An article in a list: what a card needs.</summary>
/// <param name="Id">The article's stable id (UUIDv7).</param>
/// <param name="Slug">The article's address: /v1/articles/{slug}.</param>
/// <param name="Title">The headline.</param>
/// <param name="Dek">The subtitle shown under the headline.</param>
/// <param name="Excerpt">One or two sentences for cards and sharing.</param>
/// <param name="Section">Where the article is filed.</param>
/// <param name="Authors">The byline, in order.</param>
/// <param name="Topics">What the article is about, by name.</param>
/// <param name="Image">The featured image, if any.</param>
/// <param name="PublishedAt">When it went live (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="ReadingMinutes">Estimated reading time at 230 words a minute.</param>
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
/// <param name="Id">The article's stable id (UUIDv7).</param>
/// <param name="Slug">The article's address: /v1/articles/{slug}.</param>
/// <param name="Title">The headline.</param>
/// <param name="Dek">The subtitle shown under the headline.</param>
/// <param name="Excerpt">One or two sentences for cards and sharing.</param>
/// <param name="Section">Where the article is filed.</param>
/// <param name="Authors">The byline, in order; each author's articles are at /v1/authors/{slug}/articles.</param>
/// <param name="Topics">What the article is about; each topic's articles are at /v1/topics/{slug}/articles.</param>
/// <param name="Image">The featured image, if any, for headers and sharing.</param>
/// <param name="PublishedAt">When it went live here (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC); also the Last-Modified header.</param>
/// <param name="CanonicalUrl">The address to share and to name as canonical.</param>
/// <param name="OriginalPublication">Where the article appeared first, for its republication note; null when it is original.</param>
/// <param name="Body">The body as sanitized HTML, as typed blocks and as plain text.</param>
/// <param name="Figures">The photos placed in the body, in order.</param>
/// <param name="RelatedWorks">The publisher's works the editor chose to show with the article, in order.</param>
/// <param name="WordCount">Words in the body text.</param>
/// <param name="ReadingMinutes">Estimated reading time at 230 words a minute.</param>
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
