using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;

namespace ContentApi.Sections;

public sealed class ListSectionArticles(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<ArticlesOfRequest, ListResponse<ArticleCard>>
{
    public override void Configure()
    {
        Get("/v1/sections/{slug}/articles");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List a section's articles";
            s.Description = "The section's published articles as cards, with the same filters, sorts and paging as /v1/articles.";
        });
    }

    public override async Task HandleAsync(ArticlesOfRequest request, CancellationToken ct)
    {
        var filters = ArticleListFilters.From(request) with { Section = request.Slug };
        await ArticleList.SendOwnedAsync(HttpContext, db, queries, audience, request, filters, "section", db.Sections, ct);
    }
}
