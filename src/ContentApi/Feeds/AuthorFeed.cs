using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Feeds;

public sealed class AuthorFeed(ContentDb db, DeliveryQueries queries, StoredFeeds stored, ContentAudience audience, SiteOptions site) : Endpoint<SlugFeedRequest>
{
    public override void Configure()
    {
        Get("/v1/authors/{slug}/feed.{format}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Feed of a author's newest articles";
            s.Description = "The author's newest 50 articles as RSS 2.0 (.rss), Atom 1.0 (.atom) or JSON Feed 1.1 (.json), with the same " +
                            "details as the site-wide feed. A former slug answers 301.";
        });
    }

    public override async Task HandleAsync(SlugFeedRequest request, CancellationToken ct)
    {
        if (await stored.TrySendAsync(HttpContext, audience, site, $"/v1/authors/{request.Slug}/feed.{request.Format}", request.Format, ct) is not { } miss)
        {
            return;
        }
        if (await FeedAnswer.FindAsync(HttpContext, db, site, "author", "authors", request.Slug, db.Authors, e => e.Name, ct) is { } found)
        {
            await FeedAnswer.SendAsync(HttpContext, db, queries, stored, audience, site, request.Format, found.Info, miss, new FeedScope("author", found.Id),
                FeedAnswer.NewestOf(db, audience, null, request.Slug,
                    articles => articles.Where(a => a.Authors.Any(x => x.Author.Slug == request.Slug))), ct);
        }
    }
}
