using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sitemaps;

public sealed class NewsSitemap(ContentDb db, ContentAudience audience, SiteOptions site) : EndpointWithoutRequest
{
    /// <summary>Google News reads articles of the last two days, at most 1,000 per sitemap.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(2);
    public const int MaxArticles = 1000;

    public override void Configure()
    {
        Get("/v1/sitemaps/news.xml");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Google News sitemap";
            s.Description = "The articles published in the last two days, newest first (at most 1,000), with news:publication " +
                            "(Site:Name, en), news:publication_date and news:title. ETag and 304.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var since = audience.Now - Window;
        var rows = await db.Articles.AsNoTracking().Live(audience.Now)
            .Where(a => a.PublishedAt >= since)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(MaxArticles)
            .Select(a => new { a.Slug, a.CanonicalUrl, a.Title, PublishedAt = a.PublishedAt!.Value })
            .ToListAsync(ct);
        var articles = rows
            .Select(r => new SitemapXml.NewsEntry(r.CanonicalUrl ?? site.ArticleUrl(r.Slug), r.Title, r.PublishedAt))
            .Where(e => CatalogueSitemap.IsOnSite(site, e.Location));
        await HttpContext.SendBytesAsync(SitemapXml.News(site.Name, articles), SitemapXml.ContentType, SitemapXml.NoLastModified, ct);
    }
}
