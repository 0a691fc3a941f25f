using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Authors;

public sealed class ReplaceAuthor(ContentDb db) : Endpoint<AuthorInput, IResult>
{
    public override void Configure()
    {
        Put("/v1/manage/authors/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage authors");
        RequestBinder(new JsonBodyBinder<AuthorInput>(AuthorInput.Current));
        Description(d => d.Accepts<AuthorInput>("application/json")
            .Produces<ManagedAuthor>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Replace a author";
            s.Description = "Replaces every field of the author with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override Task<IResult> ExecuteAsync(AuthorInput input, CancellationToken ct) =>
        ReplaceAsync(HttpContext, db, Route<string>("id"), input, "replace", ct);

    /// <summary>The replace itself, audited as <paramref name="action"/>: a restore (Versions/RestoreVersion) is this with a stored version's fields.</summary>
    public static async Task<IResult> ReplaceAsync(HttpContext http, ContentDb db, string? id, AuthorInput input, string action,
        CancellationToken ct)
    {
        var (author, version, problem) = await ResourceWrites.FindForWriteAsync(http, db.Authors, id, "author",
            ifMatchRequired: true, ct);
        if (author is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = author.Slug;
        if (await input.ApplyToAsync(db, author, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "author", author, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, http, author, "author", action, now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, http, "author", () => ManagedAuthor.From(author), author.Version, ct);
    }
}
