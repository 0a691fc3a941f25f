using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Feeds;

public sealed class ArticlesFeed(ContentDb db, DeliveryQueries queries, StoredFeeds stored, ContentAudience audience, SiteOptions site) : Endpoint<FeedRequest>
{
    public override void Configure()
    {
        Get("/v1/feeds/articles.{format}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Feed of the newest articles";
            s.Description = "The newest 50 articles as RSS 2.0 (.rss), Atom 1.0 (.atom) or JSON Feed 1.1 (.json), each with its authors, " +
                            "section and topics as categories, canonical link, original publication, summary and full sanitized HTML.";
        });
    }

    public override async Task HandleAsync(FeedRequest request, CancellationToken ct)
    {
        if (await stored.TrySendAsync(HttpContext, audience, site, $"/v1/feeds/articles.{request.Format}", request.Format, ct) is { } miss)
        {
            await FeedAnswer.SendAsync(HttpContext, db, queries, stored, audience, site, request.Format,
                new FeedInfo(site.Name, $"The newest articles at {site.Name}.", site.BaseUrl.ToString(), ""), miss, FeedScope.All,
                articles => articles, ct);
        }
    }
}
