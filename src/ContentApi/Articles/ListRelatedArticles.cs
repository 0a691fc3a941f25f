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
    /// <summary>How many of each shared topic's and author's newest live articles are considered.</summary>
    public const int CandidatesPerLink = 50;

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
        var source = live.Where(a => a.Slug == request.Slug);
        var sourceTopics = source.SelectMany(a => a.Topics).Select(t => t.TopicId);
        var sourceAuthors = source.SelectMany(a => a.Authors).Select(x => x.AuthorId);

        // Candidates: from each shared topic and author, only its newest live articles, so that the work stays
        // bounded however large a topic grows (the largest holds tens of thousands).
        var viaTopics = sourceTopics.SelectMany(topicId => db.Set<ArticleTopic>().Where(t => t.TopicId == topicId)
            .Join(live, t => t.ArticleId, a => a.Id, (t, a) => a)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(CandidatesPerLink)
            .Select(a => a.Id));
        var viaAuthors = sourceAuthors.SelectMany(authorId => db.Set<ArticleAuthor>().Where(x => x.AuthorId == authorId)
            .Join(live, x => x.ArticleId, a => a.Id, (x, a) => a)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(CandidatesPerLink)
            .Select(a => a.Id));
        var candidates = viaTopics.Union(viaAuthors);

        // Each candidate's score counts everything it shares, not only the list it came from.
        var ranked = live.Where(a => candidates.Contains(a.Id) && a.Slug != request.Slug)
            .Select(a => new
            {
                a.Id,
                a.PublishedAt,
                a.UpdatedAt,
                Score = TopicWeight * a.Topics.Count(t => sourceTopics.Contains(t.TopicId))
                        + AuthorWeight * a.Authors.Count(x => sourceAuthors.Contains(x.AuthorId)),
            })
            .OrderByDescending(a => a.Score).ThenByDescending(a => a.PublishedAt ?? a.UpdatedAt).ThenByDescending(a => a.Id)
            .Take(limit)
            .Select(a => a.Id);

        // One round trip: the source's card (its topics and authors say what is shared) and the related ones' cards.
        var cards = await live.Where(a => a.Slug == request.Slug || ranked.Contains(a.Id))
            .Select(ArticleCards.Projection)
            .ToListAsync(ct);
        var sourceCard = cards.FirstOrDefault(c => c.Slug == request.Slug);
        if (sourceCard is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "article", request.Slug, live.Select(a => new SlugRow { Id = a.Id, Slug = a.Slug }), ct);
            return;
        }

        var sourceTopicSlugs = sourceCard.Topics.Select(t => t.Slug).ToHashSet();
        var sourceAuthorSlugs = sourceCard.Authors.Select(a => a.Slug).ToHashSet();
        var items = cards.Where(c => c != sourceCard)
            .Select(c =>
            {
                var topics = c.Topics.Where(t => sourceTopicSlugs.Contains(t.Slug)).ToList();
                var authors = c.Authors.Where(a => sourceAuthorSlugs.Contains(a.Slug)).ToList();
                return new RelatedArticle(c, topics, authors, TopicWeight * topics.Count + AuthorWeight * authors.Count);
            })
            // The same order the database ranked them in.
            .OrderByDescending(r => r.Score).ThenByDescending(r => r.Article.PublishedAt).ThenByDescending(r => r.Article.Id)
            .ToList();
        await HttpContext.SendJsonAsync(new RelatedArticlesResponse(items, new PageInfo(limit, null, TotalCount.Exact(items.Count))), null, ct);
    }
}
