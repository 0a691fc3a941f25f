using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Articles;

public sealed class GetArticle(ContentDb db, ContentAudience audience, SiteOptions site) : Endpoint<SlugRequest, ArticleResponse>
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
        // Two round trips. The first joins the article's section, authors, topics and works, which multiplies its
        // rows (authors x topics x works); the bodies, most of the bytes, come alone in the second.
        var row = await db.Articles.AsNoTracking()
            .Live(audience)
            .Where(a => a.Slug == request.Slug)
            .Select(a => new
            {
                a.Id, a.Slug, a.Title, a.Dek, a.Excerpt,
                Section = new SectionSummary(a.Section.Slug, a.Section.Name),
                // Each with its id, for the cache tags, from the same join (another collection would multiply the rows).
                Authors = a.Authors.OrderBy(x => x.Position)
                    .Select(x => new { x.AuthorId, Summary = new AuthorSummary(x.Author.Slug, x.Author.Name, x.Author.AvatarUrl) }).ToList(),
                Topics = a.Topics.OrderBy(x => x.Topic.Name)
                    .Select(x => new { x.TopicId, Summary = new TopicSummary(x.Topic.Slug, x.Topic.Name) }).ToList(),
                Image = a.Image == null ? null : new ImageResponse(a.Image.Url, a.Image.Alt, a.Image.Credit),
                PublishedAt = a.PublishedAt ?? a.UpdatedAt, a.UpdatedAt, a.CanonicalUrl,
                Original = a.OriginalPublication == null ? null : new OriginalPublicationResponse(
                    a.OriginalPublication.Outlet, a.OriginalPublication.Url, a.OriginalPublication.PublishedOn, a.OriginalPublication.Title),
                Works = a.RelatedWorks.OrderBy(x => x.Position)
                    .Select(x => new { x.WorkId, Summary = new WorkSummary(x.Work.Slug, x.Work.Kind, x.Work.Title, x.Work.ShortLabel,
                        x.Work.Subtitle, x.Work.Creators, x.Work.CoverUrl, x.Work.Url) }).ToList(),
                a.WordCount, a.ReadingMinutes, a.SectionId,
            })
            .FirstOrDefaultAsync(ct);

        if (row is null)
        {
            // A deleted article is archived and stays as a tombstone: its address says it is gone for good. Only one
            // that was public once (its publication time has passed) says so; a draft or a schedule never shown stays a 404.
            if (await db.Articles.AnyAsync(a => a.Slug == request.Slug && a.Status == ContentStatus.Archived
                                                && a.PublishedAt != null && a.PublishedAt <= audience.Now, ct))
            {
                await HttpContext.Response.SendResultAsync(Problems.Status(StatusCodes.Status410Gone, "Gone",
                    $"The article '{request.Slug}' has been withdrawn and is no longer available."));
                return;
            }
            await MissingSlug.SendAsync(HttpContext, db, "article", request.Slug,
                db.Articles.Live(audience).Select(a => new SlugRow { Id = a.Id, Slug = a.Slug }), ct);
            return;
        }

        var body = await db.Articles.AsNoTracking().Where(a => a.Id == row.Id)
            .Select(a => new { a.BodyHtml, a.BodyBlocks, a.BodyText })
            .SingleAsync(ct);
        var blocks = JsonSerializer.Deserialize<List<BodyBlock>>(body.BodyBlocks, ArticleBody.BlockJson) ?? [];
        var response = new ArticleResponse(
            row.Id, row.Slug, row.Title, row.Dek, row.Excerpt, row.Section,
            row.Authors.Select(x => x.Summary).ToList(), row.Topics.Select(x => x.Summary).ToList(), row.Image,
            row.PublishedAt, row.UpdatedAt, row.CanonicalUrl ?? site.ArticleUrl(row.Slug), row.Original,
            new ArticleBodyResponse(body.BodyHtml, blocks, body.BodyText),
            blocks.OfType<FigureBodyBlock>().Select(f => new FigureResponse(f.Key, f.Url, f.Alt, f.Caption, f.Credit)).ToList(),
            row.Works.Select(x => x.Summary).ToList(), row.WordCount, row.ReadingMinutes);
        DeliveryCache.Describe(HttpContext, [
            DeliveryCache.ResourceTag("article", row.Id), DeliveryCache.ResourceTag("section", row.SectionId),
            .. row.Authors.Select(x => DeliveryCache.ResourceTag("author", x.AuthorId)),
            .. row.Topics.Select(x => DeliveryCache.ResourceTag("topic", x.TopicId)),
            .. row.Works.Select(x => DeliveryCache.ResourceTag("work", x.WorkId)),
        ]);
        await HttpContext.SendJsonAsync(response, row.UpdatedAt, ct);
    }
}
