using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using FluentValidation;

namespace ContentApi.Manage.Articles;

/// <summary>When a scheduled article goes live, and optionally when it leaves again.</summary>
public sealed class ScheduleRequest : UnpublishAtRequest
{
    /// <summary>A future time with an offset, like 2027-01-01T09:00:00Z.</summary>
    /// <example>2027-01-01T09:00:00Z</example>
    public DateTimeOffset? PublishAt { get; init; }
}

public sealed class ScheduleRequestValidator : Validator<ScheduleRequest>
{
    public ScheduleRequestValidator() =>
        RuleFor(r => r.PublishAt).NotNull().WithMessage("'publishAt' is required: the time the article goes live, like 2027-01-01T09:00:00Z.");
}

public sealed class ScheduleArticle(ContentDb db) : Endpoint<ScheduleRequest, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/articles/{id}/schedule");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        Description(d => d.Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Schedule an article";
            s.Description = "The article goes live at publishAt, by itself: no request or restart is needed. Until then it is invisible to the public. " +
                            "With unpublishAt (after publishAt) it also leaves by itself then; null removes an end set before, and without it an end already set stays." +
                            ArticleLifecycle.IfMatchIsOptional;
        });
    }

    public override Task<IResult> ExecuteAsync(ScheduleRequest request, CancellationToken ct) =>
        ArticleLifecycle.ChangeAsync(HttpContext, db, Route<string>("id"), "schedule", (article, now) =>
        {
            if (request.PublishAt <= now)
            {
                return JsonBody.Invalid("publishAt", "'publishAt' must be in the future; to publish now, use /publish.");
            }
            article.Status = ContentStatus.Scheduled;
            article.PublishedAt = request.PublishAt!.Value.ToUniversalTime();
            return ArticleLifecycle.SetUnpublishAt(article, request, now);
        }, ct);
}
