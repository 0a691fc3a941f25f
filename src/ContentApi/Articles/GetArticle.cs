using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Articles;

public sealed class GetArticle(ContentDb db, DeliveryQueries queries, ContentAudience audience, SiteOptions site) : Endpoint<SlugRequest, ArticleResponse>
{
    public override void Configure()
    {
        Get("/v1/articles/{slug}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Get one article";
            s.Description = "Everything an article page shows: headline, dek, section, authors, topics, body as HTML, " +
                            "blocks and text, figures, related works, original publication and canonical URL. " +
                            "A former slug answers 301 with the current address.";
        });
    }

    public override async Task HandleAsync(SlugRequest request, CancellationToken ct)
    {
        var read = await ArticleReader.ReadAsync(queries, request.Slug, audience.Now, audience.Preview, site, ct);
        if (read is null)
        {
            // A deleted article is archived and stays as a tombstone, and one whose unpublishAt came is a draft that
            // keeps it: either address says it was withdrawn. Only one that was public once (its publication time has
            // passed) says so; a draft or a schedule never shown, or an article unpublished by hand, stays a 404.
            if (await db.Articles.AnyAsync(a => a.Slug == request.Slug && a.PublishedAt != null && a.PublishedAt <= audience.Now
                                                && (a.Status == ContentStatus.Archived
                                                    || (a.Status == ContentStatus.Draft && a.UnpublishAt <= audience.Now)), ct))
            {
                await HttpContext.Response.SendResultAsync(Problems.Status(StatusCodes.Status410Gone, "Gone",
                    $"The article '{request.Slug}' has been withdrawn and is no longer available."));
                return;
            }
            await MissingSlug.SendAsync(HttpContext, db, "article", request.Slug,
                db.Articles.Live(audience).Select(a => new SlugRow { Id = a.Id, Slug = a.Slug }), ct);
            return;
        }

        DeliveryCache.Describe(HttpContext, [
            DeliveryCache.ResourceTag("article", read.Article.Id), DeliveryCache.ResourceTag("section", read.SectionId),
            .. read.AuthorIds.Select(id => DeliveryCache.ResourceTag("author", id)),
            .. read.TopicIds.Select(id => DeliveryCache.ResourceTag("topic", id)),
            .. read.WorkIds.Select(id => DeliveryCache.ResourceTag("work", id)),
        ]);
        await HttpContext.SendJsonAsync(read.Article, read.Article.UpdatedAt, ct);
    }
}
