using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

public sealed class CreateTopic(ContentDb db, TimeProvider clock) : Endpoint<TopicInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/topics");
        Policies(ApiScopes.Write);
        Tags("Manage topics");
        RequestBinder(new JsonBodyBinder<TopicInput>());
        Description(d => d.Accepts<TopicInput>("application/json")
            .Produces<ManagedTopic>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create a topic";
            s.Description = "Creates a topic from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task<IResult> ExecuteAsync(TopicInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var topic = new Topic { Slug = input.Slug!, Name = input.Name! };
        if (await input.ApplyToAsync(db, topic, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "topic", topic, input.Slug!, null, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        db.Topics.Add(topic);
        ResourceWrites.Stamp(db, HttpContext, topic, "topic", "create", now, expectedVersion: null);
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "topic",
            $"/v1/manage/topics/{topic.Id}", ManagedTopic.From(topic), topic.Version, ct);
    }
}
