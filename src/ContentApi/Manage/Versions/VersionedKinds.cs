using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Manage.Articles;
using ContentApi.Manage.Authors;
using ContentApi.Manage.Sections;
using ContentApi.Manage.Topics;
using ContentApi.Manage.Works;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContentApi.Manage.Versions;

/// <summary>
/// The five kinds of resource that keep a history, and what differs between them: the table, the shape a version
/// stores, and the replace that a restore runs.
/// </summary>
public static class VersionedKinds
{
    /// <summary>The {kind} segment of the history routes; the constraint keeps keys and webhooks out.</summary>
    public const string Route = "{kind:regex(^(articles|authors|sections|topics|works)$)}";

    /// <summary>article for articles, and so on: the name the audit log, the change feed and the versions table use.</summary>
    public static string TypeOf(string kind) => kind[..^1];

    public static IQueryable<IManagedEntity> Table(ContentDb db, string kind) => kind switch
    {
        "articles" => db.Articles,
        "authors" => db.Authors,
        "sections" => db.Sections,
        "topics" => db.Topics,
        _ => db.Works,
    };

    /// <summary>The resource as GET /v1/manage/{kind}/{id} shows it, as JSON: what a version stores.</summary>
    public static string Snapshot(IManagedEntity entity) => entity switch
    {
        Article article => JsonSerializer.Serialize(ManagedArticle.From(article), ApiJson.Options),
        Author author => JsonSerializer.Serialize(ManagedAuthor.From(author), ApiJson.Options),
        Section section => JsonSerializer.Serialize(ManagedSection.From(section), ApiJson.Options),
        Topic topic => JsonSerializer.Serialize(ManagedTopic.From(topic), ApiJson.Options),
        Work work => JsonSerializer.Serialize(ManagedWork.From(work), ApiJson.Options),
        _ => throw new ArgumentException($"{entity.GetType().Name} keeps no versions.", nameof(entity)),
    };

    /// <summary>
    /// Replaces the resource with the fields a PUT takes, read from a stored version, after checking them again as a
    /// PUT would. What no longer holds (a topic deleted since, a rule tightened since) is a 409 naming the field.
    /// </summary>
    public static Task<IResult> RestoreAsync(string kind, HttpContext http, ContentDb db, string id, int version, string snapshot,
        CancellationToken ct) => kind switch
    {
        "articles" => ReplaceWith(snapshot, version, new ArticleInputValidator(), input => ReplaceArticle.ReplaceAsync(http, db, id, input, "restore", ct), ct),
        "authors" => ReplaceWith(snapshot, version, new AuthorInputValidator(), input => ReplaceAuthor.ReplaceAsync(http, db, id, input, "restore", ct), ct),
        "sections" => ReplaceWith(snapshot, version, new SectionInputValidator(), input => ReplaceSection.ReplaceAsync(http, db, id, input, "restore", ct), ct),
        "topics" => ReplaceWith(snapshot, version, new TopicInputValidator(), input => ReplaceTopic.ReplaceAsync(http, db, id, input, "restore", ct), ct),
        _ => ReplaceWith(snapshot, version, new WorkInputValidator(), input => ReplaceWork.ReplaceAsync(http, db, id, input, "restore", ct), ct),
    };

    private static async Task<IResult> ReplaceWith<TInput>(string snapshot, int version, IValidator<TInput> validator,
        Func<TInput, Task<IResult>> replace, CancellationToken ct)
    {
        // The stored shape is the management view; the input shape is its subset (status and computed fields drop out).
        var input = JsonSerializer.Deserialize<TInput>(snapshot, ApiJson.Options)!;
        var validation = await validator.ValidateAsync(input, ct);
        if (!validation.IsValid)
        {
            return Unrestorable(version, validation.Errors.GroupBy(e => e.PropertyName)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
        }
        // The caller checked id and If-Match, so a validation problem here is the fields' own: a reference that names nothing now.
        var answer = await replace(input);
        return answer is ValidationProblem refused ? Unrestorable(version, refused.ProblemDetails.Errors) : answer;
    }

    private static IResult Unrestorable(int version, IDictionary<string, string[]> errors) =>
        Problems.Status(StatusCodes.Status409Conflict, "Conflict",
            $"Version {version} cannot be restored as it was: {string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))} " +
            "Restore another version, or change the resource with PUT or PATCH.");
}
