using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

public sealed class DeleteTopic(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/topics/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage topics");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a topic";
            s.Description = "Deletes the topic; 409 while articles or works still use it, naming them. Needs If-Match.";
            s.Responses[StatusCodes.Status409Conflict] = "Articles or works still use the resource; detail names them.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (topic, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.Topics, Route<string>("id"), "topic",
            ifMatchRequired: true, ct);
        if (topic is null)
        {
            return problem!;
        }
        if (await ResourceWrites.StillUsedAsync("topic", topic.Slug, ct,
            (db.Articles.Where(a => a.Topics.Any(t => t.TopicId == topic.Id)).Select(a => a.Slug), "article"),
            (db.Works.Where(w => w.Topics.Any(t => t.TopicId == topic.Id)).Select(w => w.Slug), "work")) is { } inUse)
        {
            return inUse;
        }
        db.Topics.Remove(topic);
        ResourceWrites.Stamp(db, HttpContext, topic, "topic", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "topic", ct);
    }
}
