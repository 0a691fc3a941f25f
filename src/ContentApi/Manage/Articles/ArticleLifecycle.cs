using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Articles;

/// <summary>
/// What the four status changes (publish, schedule, unpublish, archive) share: find the article, honour If-Match
/// when it is sent (412 when stale), apply the change, bump the version, audit, save, evict, answer.
/// </summary>
public static class ArticleLifecycle
{
    public const string IfMatchIsOptional = " If-Match is optional here; when sent, a stale ETag is a 412.";

    /// <summary>Applies <paramref name="change"/> (which returns the problem that forbids it, or null) as the audit action.</summary>
    public static async Task<IResult> ChangeAsync(HttpContext http, ContentDb db, string? id, string action,
        Func<Article, DateTimeOffset, IResult?> change, CancellationToken ct)
    {
        var (article, version, problem) = await ResourceWrites.FindForWriteAsync(http, ManagedArticle.Query(db).AsSplitQuery(), id,
            "article", ifMatchRequired: false, ct);
        if (article is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (change(article, now) is { } refused)
        {
            return refused;
        }
        ResourceWrites.Stamp(db, http, article, "article", action, now, version);
        var answer = await ResourceWrites.SaveAndAnswerAsync(db, http, "article", () => ManagedArticle.From(article), article.Version, ct);
        http.RequestServices.GetRequiredService<ScheduledPublishing>().Wake(); // a schedule may have changed: the next due time is looked up again
        return answer;
    }
}
