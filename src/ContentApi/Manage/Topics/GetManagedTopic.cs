using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

public sealed class GetManagedTopic(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/topics/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage topics");
        Description(d => d.Produces<ManagedTopic>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a topic to edit";
            s.Description = "The topic by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (topic, missing) = await ResourceWrites.FindAsync(db.Topics.AsNoTracking(), Route<string>("id"), "topic", ct);
        return topic is null ? missing! : ResourceWrites.Answer(ManagedTopic.From(topic), topic.Version);
    }
}
