using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sitemaps;

public sealed class GetSitemapIndex(ContentDb db, ContentAudience audience, SiteOptions site, SitemapSettings settings) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/v1/sitemap.xml");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Sitemap index for search engines";
            s.Description = "A sitemaps.org sitemap index naming the article sitemaps (oldest articles first, at most 50,000 URLs each, " +
                            "so earlier files rarely change), the section, topic, author and work sitemaps, and the Google News " +
                            "sitemap of the last two days. Addresses are under Site:ApiBaseUrl. ETag and 304.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var articles = await db.Articles.Live(audience.Now).CountAsync(ct);
        var pages = (articles + settings.UrlsPerFile - 1) / settings.UrlsPerFile;
        var sitemaps = Enumerable.Range(1, pages)
            .Select(page => new SitemapXml.Entry(site.ApiUrl($"v1/sitemaps/articles-{page}.xml"), null))
            .ToList();
        foreach (var (kind, table) in CatalogueSitemap.Tables(db))
        {
            var changed = await table.MaxAsync(e => (DateTimeOffset?)e.UpdatedAt, ct);
            sitemaps.Add(new SitemapXml.Entry(site.ApiUrl($"v1/sitemaps/{kind}.xml"), changed));
        }
        sitemaps.Add(new SitemapXml.Entry(site.ApiUrl("v1/sitemaps/news.xml"), null));
        await HttpContext.SendBytesAsync(SitemapXml.Index(sitemaps), SitemapXml.ContentType, SitemapXml.NoLastModified, ct);
    }
}
