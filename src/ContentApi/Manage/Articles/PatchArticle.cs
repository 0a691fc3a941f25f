using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class PatchArticle(ContentDb db, TimeProvider clock, ScheduledPublishing scheduler) : Endpoint<ArticleInput, IResult>
{
    public override void Configure()
    {
        Patch("/v1/manage/articles/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        RequestBinder(new JsonBodyBinder<ArticleInput>(ArticleInput.Current));
        Description(d => d.Accepts<ArticleInput>(JsonBody.MergePatchType, "application/json")
            .Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Change some fields of a article";
            s.Description = "A JSON Merge Patch (RFC 7396): the fields sent replace the current ones, null clears one, " +
                            "the rest stay. Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ArticleInput input, CancellationToken ct)
    {
        var (article, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, ManagedArticle.Query(db).AsSplitQuery(),
            Route<string>("id"), "article", ifMatchRequired: true, ct);
        if (article is null)
        {
            return problem!;
        }
        var now = clock.GetUtcNow();
        var oldSlug = article.Slug;
        var oldEnd = article.UnpublishAt;
        if (await input.ApplyToAsync(db, article, now, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "article", article, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, HttpContext, article, "article", "patch", now, version);
        var answer = await ResourceWrites.SaveAndAnswerAsync(db, HttpContext, "article", () => ManagedArticle.From(article), article.Version, ct);
        if (article.UnpublishAt != oldEnd)
        {
            scheduler.Wake(); // the next due time may be this article's end
        }
        return answer;
    }
}
