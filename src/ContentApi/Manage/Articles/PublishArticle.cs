using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Articles;

public sealed class PublishArticle(ContentDb db) : Endpoint<EmptyRequest, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles/{id}/publish");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed));
        Summary(s =>
        {
            s.Summary = "Publish an article now";
            s.Description = "The article goes live at once on the delivery API. An article that was live before keeps its first publication time." +
                            ArticleLifecycle.IfMatchIsOptional;
        });
    }

    public override Task<IResult> ExecuteAsync(EmptyRequest request, CancellationToken ct) =>
        ArticleLifecycle.ChangeAsync(HttpContext, db, Route<string>("id"), "publish", (article, now) =>
        {
            if (article.Status != ContentStatus.Published && !(article.PublishedAt <= now))
            {
                article.PublishedAt = now; // a draft, or a schedule brought forward
            }
            article.Status = ContentStatus.Published;
            return null;
        }, ct);
}
