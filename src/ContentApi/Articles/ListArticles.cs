using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Articles;

public sealed class ListArticles(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<ArticleListRequest, ListResponse<ArticleCard>>
{
    public override void Configure()
    {
        Get("/v1/articles");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List published articles";
            s.Description = "Published articles as cards, newest first unless sort says otherwise. Filter by section, " +
                            "topic (repeatable: articles with all of them), author, publication dates and full-text q. " +
                            "Page with the opaque cursor in page.next (stable while new articles arrive) or with page=N.";
        });
    }

    public override Task HandleAsync(ArticleListRequest request, CancellationToken ct) =>
        ArticleList.SendAsync(HttpContext, db, queries, audience, request, ArticleListFilters.From(request), ct);
}
