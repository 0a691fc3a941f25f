using System.ComponentModel.DataAnnotations;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sitemaps;

/// <summary>Which catalogue sitemap.</summary>
public sealed class CatalogueSitemapRequest
{
    /// <summary>sections, topics, authors or works.</summary>
    [AllowedValues("sections", "topics", "authors", "works")]
    public string Kind { get; init; } = "";
}

/// <summary>The sitemaps of the sections', topics', authors' and works' pages on the site.</summary>
public sealed class CatalogueSitemap(ContentDb db, SiteOptions site) : Endpoint<CatalogueSitemapRequest>
{
    public override void Configure()
    {
        // The constraint keeps articles-{page}.xml and news.xml out of this route.
        Get("/v1/sitemaps/{kind:regex(^(sections|topics|authors|works)$)}.xml");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Sitemap of sections, topics, authors or works";
            s.Description = "Every section's, topic's, author's or work's page on the site (Site:BaseUrl plus sections/, topics/, " +
                            "authors/ or works/ and the slug), by slug, with lastmod. ETag and 304.";
        });
    }

    /// <summary>Each catalogue sitemap's name and the table it lists.</summary>
    public static IEnumerable<(string Kind, IQueryable<IManagedEntity> Table)> Tables(ContentDb db) =>
    [
        ("sections", db.Sections), ("topics", db.Topics), ("authors", db.Authors), ("works", db.Works),
    ];

    /// <summary>Whether a URL is on the site's own host: a sitemap lists no other site's pages.</summary>
    public static bool IsOnSite(SiteOptions site, string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && string.Equals(uri.Host, site.BaseUrl.Host, StringComparison.OrdinalIgnoreCase);

    public override async Task HandleAsync(CatalogueSitemapRequest request, CancellationToken ct)
    {
        var kind = request.Kind;
        var table = Tables(db).Single(t => t.Kind == kind).Table;
        var rows = await table.AsNoTracking().OrderBy(e => e.Slug).Take(SitemapXml.MaxUrls)
            .Select(e => new { e.Slug, e.UpdatedAt }).ToListAsync(ct);
        await HttpContext.SendBytesAsync(
            SitemapXml.UrlSet(rows.Select(r => new SitemapXml.Entry(site.PageUrl(kind, r.Slug), r.UpdatedAt))),
            SitemapXml.ContentType, SitemapXml.NoLastModified, ct);
    }
}
