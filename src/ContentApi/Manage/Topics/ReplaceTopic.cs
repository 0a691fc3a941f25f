using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

public sealed class ReplaceTopic(ContentDb db) : Endpoint<TopicInput, IResult>
{
    public override void Configure()
    {
        Put("/v1/manage/topics/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage topics");
        RequestBinder(new JsonBodyBinder<TopicInput>(TopicInput.Current));
        Description(d => d.Accepts<TopicInput>("application/json")
            .Produces<ManagedTopic>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Replace a topic";
            s.Description = "Replaces every field of the topic with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override Task<IResult> ExecuteAsync(TopicInput input, CancellationToken ct) =>
        ReplaceAsync(HttpContext, db, Route<string>("id"), input, "replace", ct);

    /// <summary>The replace itself, audited as <paramref name="action"/>: a restore (Versions/RestoreVersion) is this with a stored version's fields.</summary>
    public static async Task<IResult> ReplaceAsync(HttpContext http, ContentDb db, string? id, TopicInput input, string action,
        CancellationToken ct)
    {
        var (topic, version, problem) = await ResourceWrites.FindForWriteAsync(http, db.Topics, id, "topic",
            ifMatchRequired: true, ct);
        if (topic is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = topic.Slug;
        if (await input.ApplyToAsync(db, topic, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "topic", topic, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, http, topic, "topic", action, now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, http, "topic", () => ManagedTopic.From(topic), topic.Version, ct);
    }
}
