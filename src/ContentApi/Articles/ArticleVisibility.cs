using ContentApi.Content;

namespace ContentApi.Articles;

/// <summary>The one rule for what the public may see: published or scheduled articles whose time has come.</summary>
public static class ArticleVisibility
{
    public static IQueryable<Article> Live(this IQueryable<Article> articles, DateTimeOffset now) =>
        articles.Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled)
                            && a.PublishedAt <= now);
}
