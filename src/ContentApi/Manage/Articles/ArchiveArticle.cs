using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Articles;

public sealed class ArchiveArticle(ContentDb db) : Endpoint<EmptyRequest, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles/{id}/archive");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed));
        Summary(s =>
        {
            s.Summary = "Archive an article";
            s.Description = "The article leaves the delivery API for good; its address answers 410 Gone if it was ever public " +
                            "(404 if it never was). Publishing it again brings it back." +
                            ArticleLifecycle.IfMatchIsOptional;
        });
    }

    public override Task<IResult> ExecuteAsync(EmptyRequest request, CancellationToken ct) =>
        ArticleLifecycle.ChangeAsync(HttpContext, db, Route<string>("id"), "archive", (article, now) =>
        {
            article.Status = ContentStatus.Archived;
            return null;
        }, ct);
}
