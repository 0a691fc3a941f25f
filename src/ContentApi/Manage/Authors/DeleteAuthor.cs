using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Authors;

public sealed class DeleteAuthor(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/authors/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage authors");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a author";
            s.Description = "Deletes the author; 409 while articles or works still use it, naming them. Needs If-Match.";
            s.Responses[StatusCodes.Status409Conflict] = "Articles or works still use the resource; detail names them.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (author, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.Authors, Route<string>("id"), "author",
            ifMatchRequired: true, ct);
        if (author is null)
        {
            return problem!;
        }
        if (await ResourceWrites.StillUsedAsync("author", author.Slug, ct,
            (db.Articles.Where(a => a.Authors.Any(x => x.AuthorId == author.Id)).Select(a => a.Slug), "article")) is { } inUse)
        {
            return inUse;
        }
        db.Authors.Remove(author);
        ResourceWrites.Stamp(db, HttpContext, author, "author", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "author", ct);
    }
}
