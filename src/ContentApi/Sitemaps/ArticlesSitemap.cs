using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sitemaps;

/// <summary>Which article sitemap: its number in the index, from 1.</summary>
public sealed class ArticlesSitemapRequest
{
    /// <summary>The sitemap's number, from 1, as the index lists it.</summary>
    public int Page { get; init; }
}

public sealed class ArticlesSitemapRequestValidator : Validator<ArticlesSitemapRequest>
{
    public ArticlesSitemapRequestValidator() => RuleFor(r => r.Page).GreaterThanOrEqualTo(1)
        .WithMessage("The sitemap's number starts at 1 (articles-1.xml).");
}

public sealed class ArticlesSitemap(ContentDb db, ContentAudience audience, SiteOptions site, SitemapSettings settings)
    : Endpoint<ArticlesSitemapRequest>
{
    public override void Configure()
    {
        Get("/v1/sitemaps/articles-{page}.xml");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Sitemap of articles";
            s.Description = "One file of the article sitemap: live articles oldest first, the page-th run of Sitemaps:UrlsPerFile " +
                            "(50,000), each with its canonical URL and lastmod. An article whose canonical URL is on another site " +
                            "is left out: a sitemap names only canonical pages of this one. A number past the last file is a 404.";
        });
    }

    public override async Task HandleAsync(ArticlesSitemapRequest request, CancellationToken ct)
    {
        // Counted in 64 bits: a large number times UrlsPerFile passes int's range, and no table reaches that far.
        var offset = (long)(request.Page - 1) * settings.UrlsPerFile;
        // Oldest first, so that new articles land in the last file and the earlier ones keep their ETags.
        var rows = offset > int.MaxValue ? [] : await db.Articles.AsNoTracking().Live(audience.Now)
            .OrderBy(a => a.PublishedAt).ThenBy(a => a.Id)
            .Skip((int)offset).Take(settings.UrlsPerFile)
            .Select(a => new Row(a.Slug, a.CanonicalUrl, a.UpdatedAt))
            .ToListAsync(ct);
        if (rows.Count == 0 && request.Page > 1)
        {
            await HttpContext.Response.SendResultAsync(Problems.NotFound(
                $"There is no article sitemap {request.Page}; /v1/sitemap.xml lists the ones there are."));
            return;
        }
        var urls = rows
            .Select(r => new SitemapXml.Entry(r.CanonicalUrl ?? site.ArticleUrl(r.Slug), r.UpdatedAt))
            .Where(e => CatalogueSitemap.IsOnSite(site, e.Location));
        await HttpContext.SendBytesAsync(SitemapXml.UrlSet(urls), SitemapXml.ContentType, SitemapXml.NoLastModified, ct);
    }

    private sealed record Row(string Slug, string? CanonicalUrl, DateTimeOffset UpdatedAt);
}
