using System.Text.Json.Serialization;
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

    /// <summary>
    /// Applies a publish or schedule request's unpublishAt once status and publishedAt are set: a time sent must be in
    /// the future and after publishAt, null clears it, and leaving it out keeps the current one (unless it has passed:
    /// that is the record of an earlier withdrawal, not an end for this publication).
    /// </summary>
    public static IResult? SetUnpublishAt(Article article, UnpublishAtRequest request, DateTimeOffset now)
    {
        if (!request.UnpublishAtSent)
        {
            if (article.UnpublishAt <= now)
            {
                article.UnpublishAt = null;
            }
        }
        else if (request.UnpublishAt <= now)
        {
            return JsonBody.Invalid("unpublishAt", "'unpublishAt' must be in the future: it is when the article leaves the delivery API. Send null for no end.");
        }
        else
        {
            article.UnpublishAt = request.UnpublishAt?.ToUniversalTime();
        }
        return article.UnpublishAt <= article.PublishedAt
            ? JsonBody.Invalid("unpublishAt", $"'unpublishAt' ({article.UnpublishAt:O}) must be after publishAt ({article.PublishedAt:O}); send a later time, or null for no end.")
            : null;
    }
}

/// <summary>What publish and schedule take besides their own fields: when the publication ends.</summary>
public abstract class UnpublishAtRequest
{
    private readonly DateTimeOffset? unpublishAt;
    private readonly bool sent;

    /// <summary>
    /// When the article leaves the delivery API by itself, like 2027-02-01T09:00:00Z: after publishAt and in the future.
    /// null removes an end set before; left out, the current one stays.
    /// </summary>
    /// <example>2027-02-01T09:00:00Z</example>
    public DateTimeOffset? UnpublishAt
    {
        get => unpublishAt;
        init
        {
            unpublishAt = value;
            sent = true; // the serializer calls this only for a field the body has: null clears, absent keeps
        }
    }

    [JsonIgnore]
    public bool UnpublishAtSent => sent;
}
