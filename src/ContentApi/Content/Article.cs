namespace ContentApi.Content;

/// <summary>An article: its Markdown source plus the renderings computed from it when it is written.</summary>
public sealed class Article : IManagedEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public string? Dek { get; set; }
    public Guid SectionId { get; set; }
    public Section Section { get; set; } = null!;
    public List<ArticleAuthor> Authors { get; set; } = [];
    public List<ArticleTopic> Topics { get; set; } = [];
    public List<ArticleWork> RelatedWorks { get; set; } = [];
    public List<ArticleFigure> Figures { get; set; } = [];

    /// <summary>The body as the editor wrote it.</summary>
    public required string BodyMarkdown { get; set; }
    // Rendered once on write so that reads never parse Markdown.
    public string BodyHtml { get; set; } = "";
    public string BodyBlocks { get; set; } = "[]";
    public string BodyText { get; set; } = "";
    public int WordCount { get; set; }
    public int ReadingMinutes { get; set; }

    public string? Excerpt { get; set; }
    public Image? Image { get; set; }
    public string? CanonicalUrl { get; set; }
    public OriginalPublication? OriginalPublication { get; set; }

    /// <summary>Title, dek, excerpt and body as weighted lexemes; computed by PostgreSQL, never written by the app.</summary>
    public NpgsqlTypes.NpgsqlTsVector SearchVector { get; private set; } = null!;

    public ContentStatus Status { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    /// <summary>
    /// When a published or scheduled article leaves the delivery API by itself (an embargo's end). Kept once it has
    /// fired: a draft whose unpublishAt has passed was withdrawn, and its address answers 410.
    /// </summary>
    public DateTimeOffset? UnpublishAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    /// <summary>
    /// Sets the Markdown and everything rendered from it; the excerpt is the editor's or the body's opening.
    /// Throws <see cref="FormatException"/> when the body places a figure the article lacks.
    /// </summary>
    public void SetBody(string markdown, string? excerpt)
    {
        var body = ArticleBody.Render(markdown, Figures);
        BodyMarkdown = markdown;
        BodyHtml = body.Html;
        BodyBlocks = body.BlocksJson();
        BodyText = body.Text;
        WordCount = body.WordCount;
        ReadingMinutes = body.ReadingMinutes;
        Excerpt = excerpt ?? body.Excerpt();
    }
}

/// <summary>An image with what a page needs to show it accessibly.</summary>
public sealed class Image
{
    public required string Url { get; set; }
    public string? Alt { get; set; }
    public string? Credit { get; set; }
}

/// <summary>Where an article appeared first, when it is a republication.</summary>
public sealed class OriginalPublication
{
    public required string Outlet { get; set; }
    public string? Url { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public string? Title { get; set; }
}

public sealed class ArticleAuthor
{
    public Guid ArticleId { get; set; }
    public Guid AuthorId { get; set; }
    public Author Author { get; set; } = null!;
    /// <summary>Byline order, from 0.</summary>
    public int Position { get; set; }
    /// <summary>The article's publish time while it is published or scheduled, else null; kept by the database.</summary>
    public DateTimeOffset? ListedAt { get; private set; }
}

public sealed class ArticleTopic
{
    public Guid ArticleId { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    /// <summary>The article's publish time while it is published or scheduled, else null; kept by the database.</summary>
    public DateTimeOffset? ListedAt { get; private set; }
}

public sealed class ArticleWork
{
    public Guid ArticleId { get; set; }
    public Guid WorkId { get; set; }
    public Work Work { get; set; } = null!;
    /// <summary>Display order chosen by the editor, from 0.</summary>
    public int Position { get; set; }
}

/// <summary>A photo placed in an article's body by a <c>{{figure key}}</c> line.</summary>
public sealed class ArticleFigure
{
    public Guid ArticleId { get; set; }
    public required string Key { get; set; }
    public int Position { get; set; }
    public required string Url { get; set; }
    public string? Alt { get; set; }
    public string? Caption { get; set; }
    public string? Credit { get; set; }
}
