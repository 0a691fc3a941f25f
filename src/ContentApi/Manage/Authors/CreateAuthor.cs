using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Authors;

public sealed class CreateAuthor(ContentDb db, TimeProvider clock) : Endpoint<AuthorInput, IResult>
{
    public override void Configure()
    {
        Post("/v1/manage/authors");
        Policies(ApiScopes.Write);
        Tags("Manage authors");
        RequestBinder(new JsonBodyBinder<AuthorInput>());
        Description(d => d.Accepts<AuthorInput>("application/json")
            .Produces<ManagedAuthor>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity));
        Summary(s =>
        {
            s.Summary = "Create a author";
            s.Description = "Creates a author from the body and answers 201 with it, its Location and its ETag. " +
                            "With an Idempotency-Key header, a retry of the same request returns the first response and creates nothing.";
        });
    }

    public override async Task<IResult> ExecuteAsync(AuthorInput input, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var idempotency = await IdempotencyKeys.BeginAsync(db, HttpContext, transaction, now, ct);
        if (idempotency.Answer is not null)
        {
            return idempotency.Answer;
        }
        var author = new Author { Slug = input.Slug!, Name = input.Name! };
        if (await input.ApplyToAsync(db, author, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "author", author, input.Slug!, null, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        db.Authors.Add(author);
        ResourceWrites.Stamp(db, HttpContext, author, "author", "create", now, expectedVersion: null);
        return await ResourceWrites.SaveCreatedAsync(db, HttpContext, transaction, idempotency.Row, "author",
            $"/v1/manage/authors/{author.Id}", ManagedAuthor.From(author), author.Version, ct);
    }
}
