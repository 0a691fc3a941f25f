using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Articles;

public sealed class RelatedArticlesRequest : SlugRequest
{
    /// <summary>How many related articles, 1 to 20 (default 5).</summary>
    [Range(1, RelatedArticlesValidator.MaxLimit), DefaultValue(5)]
    public int? Limit { get; init; }
}

public sealed class RelatedArticlesValidator : Validator<RelatedArticlesRequest>
{
    public const int MaxLimit = 20;

    public RelatedArticlesValidator()
    {
        RuleFor(r => r.Slug).ValidSlug();
        RuleFor(r => r.Limit).InclusiveBetween(1, MaxLimit);
    }
}

/// <summary>An article picked as related, with why: the topics and authors it shares with the one being read.</summary>
public sealed record RelatedArticle(ArticleCard Article, IReadOnlyList<TopicSummary> SharedTopics,
    IReadOnlyList<AuthorSummary> SharedAuthors, int Score);

/// <summary>The top related articles; <c>page.next</c> is always null, as this is a ranked top list.</summary>
public sealed record RelatedArticlesResponse(IReadOnlyList<RelatedArticle> Items, PageInfo Page);

public sealed class ListRelatedArticles(ContentDb db, ContentAudience audience) : Endpoint<RelatedArticlesRequest, RelatedArticlesResponse>
{
    // A shared topic says more about relatedness than a shared byline.
    private const int TopicWeight = 2;
    private const int AuthorWeight = 1;

    public override void Configure()
    {
        Get("/v1/articles/{slug}/related");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List articles related to an article";
            s.Description = $"Other published articles ranked by shared topics (weight {TopicWeight}) and shared authors " +
                            $"(weight {AuthorWeight}), then by recency; each names the topics and authors it shares.";
        });
    }

    public override async Task HandleAsync(RelatedArticlesRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 5;
        var live = db.Articles.AsNoTracking().Live(audience);
        var source = await live.Where(a => a.Slug == request.Slug)
            .Select(a => new
            {
                a.Id,
                TopicIds = a.Topics.Select(t => t.TopicId).ToList(),
                TopicSlugs = a.Topics.Select(t => t.Topic.Slug).ToList(),
                AuthorIds = a.Authors.Select(x => x.AuthorId).ToList(),
                AuthorSlugs = a.Authors.Select(x => x.Author.Slug).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (source is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "article", request.Slug, live.Select(a => new SlugRow { Id = a.Id, Slug = a.Slug }), ct);
            return;
        }

        // Scores come from the link tables: only articles that share something are touched, however many exist.
        var topicIds = source.TopicIds;
        var authorIds = source.AuthorIds;
        var shared = db.Set<ArticleTopic>().Where(t => topicIds.Contains(t.TopicId)).Select(t => new { t.ArticleId, Weight = TopicWeight })
            .Concat(db.Set<ArticleAuthor>().Where(x => authorIds.Contains(x.AuthorId)).Select(x => new { x.ArticleId, Weight = AuthorWeight }))
            .GroupBy(h => h.ArticleId)
            .Select(g => new { ArticleId = g.Key, Score = g.Sum(h => h.Weight) });
        var ranked = await shared
            .Join(live.Where(a => a.Id != source.Id), s => s.ArticleId, a => a.Id, (s, a) => new { a.Id, a.PublishedAt, s.Score })
            .OrderByDescending(a => a.Score).ThenByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(limit)
            .ToListAsync(ct);

        var ids = ranked.Select(r => r.Id).ToList();
        var cards = await live.Where(a => ids.Contains(a.Id)).Select(ArticleCards.Projection).ToDictionaryAsync(c => c.Id, ct);

        var items = ranked.Where(r => cards.ContainsKey(r.Id)).Select(r => new RelatedArticle(
            cards[r.Id],
            cards[r.Id].Topics.Where(t => source.TopicSlugs.Contains(t.Slug)).ToList(),
            cards[r.Id].Authors.Where(a => source.AuthorSlugs.Contains(a.Slug)).ToList(),
            r.Score)).ToList();
        await HttpContext.SendJsonAsync(new RelatedArticlesResponse(items, new PageInfo(limit, null, TotalCount.Exact(items.Count))), null, ct);
    }
}
