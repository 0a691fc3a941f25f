using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class CreateSection(ContentDb db, TimeProvider clock) : Endpoint<SectionInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/sections");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        RequestBinder(new JsonBodyBinder<SectionInput>());
        Description(d => d.Accepts<SectionInput>("application/json")
            .Produces<ManagedSection>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create a section";
            s.Description = "Creates a section from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task<IResult> ExecuteAsync(SectionInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var section = new Section { Slug = input.Slug!, Name = input.Name! };
        if (await input.ApplyToAsync(db, section, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "section", section, input.Slug!, null, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        db.Sections.Add(section);
        ResourceWrites.Stamp(db, HttpContext, section, "section", "create", now, expectedVersion: null);
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "section",
            $"/v1/manage/sections/{section.Id}", ManagedSection.From(section), section.Version, ct);
    }
}
