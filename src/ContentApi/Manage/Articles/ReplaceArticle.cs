using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

public sealed class ReplaceArticle(ContentDb db) : Endpoint<ArticleInput, IResult>
{
    public override void Configure()
    {
        Put("/v1/manage/articles/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage articles");
        RequestBinder(new JsonBodyBinder<ArticleInput>(ArticleInput.Current));
        Description(d => d.Accepts<ArticleInput>("application/json")
            .Produces<ManagedArticle>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Replace a article";
            s.Description = "Replaces every field of the article with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override Task<IResult> ExecuteAsync(ArticleInput input, CancellationToken ct) =>
        ReplaceAsync(HttpContext, db, Route<string>("id"), input, "replace", ct);

    /// <summary>The replace itself, audited as <paramref name="action"/>: a restore (Versions/RestoreVersion) is this with a stored version's fields.</summary>
    public static async Task<IResult> ReplaceAsync(HttpContext http, ContentDb db, string? id, ArticleInput input, string action,
        CancellationToken ct)
    {
        var (article, version, problem) = await ResourceWrites.FindForWriteAsync(http, ManagedArticle.Query(db).AsSplitQuery(),
            id, "article", ifMatchRequired: true, ct);
        if (article is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = article.Slug;
        var oldEnd = article.UnpublishAt;
        if (action == "restore")
        {
            input = input with { UnpublishAt = oldEnd }; // the end is part of the lifecycle, which a restore keeps, like the status
        }
        if (await input.ApplyToAsync(db, article, now, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "article", article, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, http, article, "article", action, now, version);
        var answer = await ResourceWrites.SaveAndAnswerAsync(db, http, "article", () => ManagedArticle.From(article), article.Version, ct);
        if (article.UnpublishAt != oldEnd)
        {
            http.RequestServices.GetRequiredService<ScheduledPublishing>().Wake(); // the next due time may be this article's end
        }
        return answer;
    }
}
