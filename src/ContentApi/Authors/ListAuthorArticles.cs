using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Authors;

public sealed class ListAuthorArticles(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<ArticlesOfRequest, ListResponse<ArticleCard>>
{
    public override void Configure()
    {
        Get("/v1/authors/{slug}/articles");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List an author's articles";
            s.Description = "The author's published articles as cards, with the same filters, sorts and paging as /v1/articles.";
        });
    }

    public override async Task HandleAsync(ArticlesOfRequest request, CancellationToken ct)
    {
        var filters = ArticleListFilters.From(request) with { Author = request.Slug };
        await ArticleList.SendOwnedAsync(HttpContext, db, queries, audience, request, filters, "author", db.Authors, ct);
    }
}
