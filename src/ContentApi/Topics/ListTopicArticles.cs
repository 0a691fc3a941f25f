using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Topics;

public sealed class ListTopicArticles(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<ArticlesOfRequest, ListResponse<ArticleCard>>
{
    public override void Configure()
    {
        Get("/v1/topics/{slug}/articles");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List a topic's articles";
            s.Description = "The published articles tagged with the topic, as cards, with the same filters, sorts and paging as /v1/articles.";
        });
    }

    public override async Task HandleAsync(ArticlesOfRequest request, CancellationToken ct)
    {
        var filters = ArticleListFilters.From(request);
        filters = filters with { Topics = [.. filters.Topics.Append(request.Slug).Distinct()] };
        await ArticleList.SendOwnedAsync(HttpContext, db, queries, audience, request, filters, "topic", db.Topics, ct);
    }
}
