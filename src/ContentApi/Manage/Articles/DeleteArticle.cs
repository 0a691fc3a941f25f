using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class DeleteArticle(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/articles/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a article";
            s.Description = "Archives the article: it leaves the public API, whose address for it answers 410 Gone from then on " +
                            "if it was ever public (404 if it never was). Needs If-Match.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (article, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, ManagedArticle.Query(db).AsSplitQuery(),
            Route<string>("id"), "article", ifMatchRequired: true, ct);
        if (article is null)
        {
            return problem!;
        }
        // An article is never removed: it stays as a tombstone, so its delivery address can answer 410 Gone.
        article.Status = ContentStatus.Archived;
        ResourceWrites.Stamp(db, HttpContext, article, "article", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "article", ct);
    }
}
