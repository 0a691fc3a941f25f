using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Articles;

public sealed class UnpublishArticle(ContentDb db) : Endpoint<EmptyRequest, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles/{id}/unpublish");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed));
        Summary(s =>
        {
            s.Summary = "Unpublish an article";
            s.Description = "The article becomes a draft again and leaves the delivery API (404 there) until it is published again; " +
                            "an unpublishAt it had is removed." +
                            ArticleLifecycle.IfMatchIsOptional;
        });
    }

    public override Task<IResult> ExecuteAsync(EmptyRequest request, CancellationToken ct) =>
        ArticleLifecycle.ChangeAsync(HttpContext, db, Route<string>("id"), "unpublish", (article, now) =>
        {
            if (article.Status == ContentStatus.Scheduled)
            {
                article.PublishedAt = null; // the schedule is cancelled, not a past publication
            }
            article.Status = ContentStatus.Draft;
            article.UnpublishAt = null; // withdrawn by hand, not by an embargo: its address answers 404, not 410
            return null;
        }, ct);
}
