using ContentApi.Content;

namespace ContentApi.Articles;

/// <summary>
/// Who is reading the delivery API, for this request: the public, or an editor previewing with a key that has
/// the content:preview scope (<c>?preview=true</c>).
/// </summary>
public sealed class ContentAudience(TimeProvider clock)
{
    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    /// <summary>Drafts and scheduled articles are shown too; set by <see cref="Http.PreviewAccess"/>.</summary>
    public bool Preview { get; set; }
}

/// <summary>The one rule for what the public may see: published or scheduled articles whose time has come.</summary>
public static class ArticleVisibility
{
    public static IQueryable<Article> Live(this IQueryable<Article> articles, DateTimeOffset now) =>
        articles.Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled)
                            && a.PublishedAt <= now);

    /// <summary>What this audience may see: live articles, or in preview everything that is not archived.</summary>
    public static IQueryable<Article> Live(this IQueryable<Article> articles, ContentAudience audience) =>
        audience.Preview ? articles.Where(a => a.Status != ContentStatus.Archived) : articles.Live(audience.Now);

    /// <summary>The same rule in SQL, for hand-written statements: the article under <paramref name="alias"/>, the time as @now.</summary>
    public static string Sql(string alias, bool preview) => preview
        ? $"{alias}.status <> 'archived'"
        : $"{alias}.status IN ('published', 'scheduled') AND {alias}.published_at <= @now";
}
