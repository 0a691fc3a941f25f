using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Feeds;

public sealed class TopicFeed(ContentDb db, DeliveryQueries queries, StoredFeeds stored, ContentAudience audience, SiteOptions site) : Endpoint<SlugFeedRequest>
{
    public override void Configure()
    {
        Get("/v1/topics/{slug}/feed.{format}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Feed of a topic's newest articles";
            s.Description = "The topic's newest 50 articles as RSS 2.0 (.rss), Atom 1.0 (.atom) or JSON Feed 1.1 (.json), with the same " +
                            "details as the site-wide feed. A former slug answers 301.";
        });
    }

    public override async Task HandleAsync(SlugFeedRequest request, CancellationToken ct)
    {
        if (await stored.TrySendAsync(HttpContext, audience, site, $"/v1/topics/{request.Slug}/feed.{request.Format}", request.Format, ct) is not { } miss)
        {
            return;
        }
        if (await FeedAnswer.FindAsync(HttpContext, db, site, "topic", "topics", request.Slug, db.Topics, e => e.Name, ct) is { } found)
        {
            await FeedAnswer.SendAsync(HttpContext, db, queries, stored, audience, site, request.Format, found.Info, miss, new FeedScope("topic", found.Id),
                FeedAnswer.NewestOf(db, audience, request.Slug, null,
                    articles => articles.Where(a => a.Topics.Any(t => t.Topic.Slug == request.Slug))), ct);
        }
    }
}
