using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class CreateWork(ContentDb db, TimeProvider clock) : Endpoint<WorkInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/works");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        RequestBinder(new JsonBodyBinder<WorkInput>());
        Description(d => d.Accepts<WorkInput>("application/json")
            .Produces<ManagedWork>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create a work";
            s.Description = "Creates a work from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task<IResult> ExecuteAsync(WorkInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var work = new Work { Slug = input.Slug!, Title = input.Title! };
        if (await input.ApplyToAsync(db, work, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "work", work, input.Slug!, null, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        db.Works.Add(work);
        ResourceWrites.Stamp(db, HttpContext, work, "work", "create", now, expectedVersion: null);
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "work",
            $"/v1/manage/works/{work.Id}", ManagedWork.From(work), work.Version, ct);
    }
}
