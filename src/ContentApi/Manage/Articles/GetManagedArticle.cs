using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class GetManagedArticle(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/articles/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ManagedArticle>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a article to edit";
            s.Description = "The article by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (article, missing) = await ResourceWrites.FindAsync(ManagedArticle.Query(db).AsNoTracking(), Route<string>("id"), "article", ct);
        return article is null ? missing! : ResourceWrites.Answer(ManagedArticle.From(article), article.Version);
    }
}
