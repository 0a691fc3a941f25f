using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

/// <summary>
/// The four status changes (publish, schedule, unpublish, archive) share one path: find the article, honour
/// If-Match when it is sent (412 when stale), apply the change, bump the version, audit, save, evict, answer.
/// </summary>
public abstract class ArticleLifecycleEndpoint<TRequest> : Endpoint<TRequest, ManagedArticle> where TRequest : notnull
{
    private static readonly ArticleResource Resource = new();

    /// <summary>The route's last segment and the audit action: "publish".</summary>
    protected abstract string Action { get; }

    protected void Configure(string summary, string description)
    {
        Post($"/v1/manage/articles/{{id}}/{Action}");
        Policies(ApiScopes.Write);
        Summary(s =>
        {
            s.Summary = summary;
            s.Description = description + " If-Match is optional here; when sent, a stale ETag is a 412.";
        });
    }

    /// <summary>Changes the article, or returns the problem that forbids the change.</summary>
    protected abstract IResult? Change(Article article, TRequest request, DateTimeOffset now);

    public override async Task HandleAsync(TRequest request, CancellationToken ct)
    {
        var db = Resolve<ContentDb>();
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        var article = problem is null ? await Resource.Load(db).AsSplitQuery().FirstOrDefaultAsync(a => a.Id == id, ct) : null;
        if (article is null)
        {
            await HttpContext.Response.SendResultAsync(problem ?? Problems.NotFound($"No article has the id {id}."));
            return;
        }
        var (version, stale) = ResourceWrites.RequireIfMatch(HttpContext, article.Version, required: false);
        var now = Resolve<TimeProvider>().GetUtcNow();
        if ((stale ?? Change(article, request, now)) is { } refused)
        {
            await HttpContext.Response.SendResultAsync(refused);
            return;
        }
        ResourceWrites.Stamp(db, HttpContext, article, Resource.Type, Action, now, version);
        await ResourceWrites.SaveAndSendAsync(db, HttpContext, Resource.Type, () => Resource.ToOutput(article), article.Version, ct);
        Resolve<ScheduledPublishing>().Wake(); // a schedule may have changed: the next due time is looked up again
    }
}

public sealed class PublishArticle : ArticleLifecycleEndpoint<EmptyRequest>
{
    protected override string Action => "publish";

    public override void Configure() => Configure("Publish an article now",
        "The article goes live at once on the delivery API. An article that was live before keeps its first publication time.");

    protected override IResult? Change(Article article, EmptyRequest request, DateTimeOffset now)
    {
        if (article.Status != ContentStatus.Published && !(article.PublishedAt <= now))
        {
            article.PublishedAt = now; // a draft, or a schedule brought forward
        }
        article.Status = ContentStatus.Published;
        return null;
    }
}

/// <summary>When a scheduled article goes live.</summary>
public sealed class ScheduleRequest
{
    /// <summary>A future time with an offset, like 2027-01-01T09:00:00Z.</summary>
    public DateTimeOffset? PublishAt { get; init; }
}

public sealed class ScheduleRequestValidator : Validator<ScheduleRequest>
{
    public ScheduleRequestValidator() =>
        RuleFor(r => r.PublishAt).NotNull().WithMessage("'publishAt' is required: the time the article goes live, like 2027-01-01T09:00:00Z.");
}

public sealed class ScheduleArticle : ArticleLifecycleEndpoint<ScheduleRequest>
{
    protected override string Action => "schedule";

    public override void Configure() => Configure("Schedule an article",
        "The article goes live at publishAt, by itself: no request or restart is needed. Until then it is invisible to the public.");

    protected override IResult? Change(Article article, ScheduleRequest request, DateTimeOffset now)
    {
        if (request.PublishAt <= now)
        {
            return JsonBody.Invalid("publishAt", "'publishAt' must be in the future; to publish now, use /publish.");
        }
        article.Status = ContentStatus.Scheduled;
        article.PublishedAt = request.PublishAt!.Value.ToUniversalTime();
        return null;
    }
}

public sealed class UnpublishArticle : ArticleLifecycleEndpoint<EmptyRequest>
{
    protected override string Action => "unpublish";

    public override void Configure() => Configure("Unpublish an article",
        "The article becomes a draft again and leaves the delivery API (404 there) until it is published again.");

    protected override IResult? Change(Article article, EmptyRequest request, DateTimeOffset now)
    {
        if (article.Status == ContentStatus.Scheduled)
        {
            article.PublishedAt = null; // the schedule is cancelled, not a past publication
        }
        article.Status = ContentStatus.Draft;
        return null;
    }
}

public sealed class ArchiveArticle : ArticleLifecycleEndpoint<EmptyRequest>
{
    protected override string Action => "archive";

    public override void Configure() => Configure("Archive an article",
        "The article leaves the delivery API for good; its address answers 410 Gone if it was ever public (404 if it never was). Publishing it again brings it back.");

    protected override IResult? Change(Article article, EmptyRequest request, DateTimeOffset now)
    {
        article.Status = ContentStatus.Archived;
        return null;
    }
}
