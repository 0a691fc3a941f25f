using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Articles;

public sealed class ListArticles(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<FacetedArticleListRequest, FacetedListResponse<ArticleCard>>
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
                            "Page with the opaque cursor in page.next (stable while new articles arrive) or with page=N.\n\n" +
                            "facets=section,topic,author,year adds counts for a filter sidebar (\"Russia (42)\"), over the newest " +
                            $"{ArticleFacetCounts.ListWindow:N0} matching articles: facets.isExact is false when more match.";
        });
    }

    public override async Task HandleAsync(FacetedArticleListRequest request, CancellationToken ct)
    {
        var filters = ArticleListFilters.From(request);
        var (cards, page) = await ArticleList.ReadPageAsync(HttpContext, db, queries, audience, request, filters, ct);
        ArticleFacets? facets = null;
        if (FacetRequest.Parse(request.Facets) is { } asked)
        {
            var (ids, all) = await ArticleList.NewestIdsAsync(db, audience, filters, ArticleFacetCounts.ListWindow, ct);
            facets = await ArticleFacetCounts.CountAsync(queries, asked, ids, all, ct);
        }
        await HttpContext.SendJsonAsync(new FacetedListResponse<ArticleCard>(cards, page, facets), null, ct);
    }
}

public sealed class ListArticlesValidator : Validator<FacetedArticleListRequest>
{
    public ListArticlesValidator()
    {
        Include(new ArticleListRules());
        Include(new FacetRules());
    }
}
