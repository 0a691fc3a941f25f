using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Articles;

/// <summary>Publishing takes an optional body: when the publication ends.</summary>
public sealed class PublishRequest : UnpublishAtRequest;

public sealed class PublishArticle(ContentDb db) : Endpoint<PublishRequest, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles/{id}/publish");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        RequestBinder(new OptionalJsonBodyBinder<PublishRequest>());
        // No accepts metadata: routing would answer 415 to a publish without a body, which is how most are sent.
        Description(d => d.Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Publish an article now";
            s.Description = "The article goes live at once on the delivery API. An article that was live before keeps its first publication time. " +
                            "The body is optional: {\"unpublishAt\": ...} sets when it leaves the delivery API by itself (an embargo's end), " +
                            "null removes one set before, and without it an end already set stays." +
                            ArticleLifecycle.IfMatchIsOptional;
        });
    }

    public override Task<IResult> ExecuteAsync(PublishRequest request, CancellationToken ct) =>
        ArticleLifecycle.ChangeAsync(HttpContext, db, Route<string>("id"), "publish", (article, now) =>
        {
            if (article.Status != ContentStatus.Published && !(article.PublishedAt <= now))
            {
                article.PublishedAt = now; // a draft, or a schedule brought forward
            }
            article.Status = ContentStatus.Published;
            return ArticleLifecycle.SetUnpublishAt(article, request, now);
        }, ct);
}
