using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class DeleteWork(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/works/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a work";
            s.Description = "Deletes the work; 409 while articles or works still use it, naming them. Needs If-Match.";
            s.Responses[StatusCodes.Status409Conflict] = "Articles or works still use the resource; detail names them.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (work, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, ManagedWork.Query(db).AsSplitQuery(),
            Route<string>("id"), "work", ifMatchRequired: true, ct);
        if (work is null)
        {
            return problem!;
        }
        if (await ResourceWrites.StillUsedAsync("work", work.Slug, ct,
            (db.Articles.Where(a => a.RelatedWorks.Any(x => x.WorkId == work.Id)).Select(a => a.Slug), "article")) is { } inUse)
        {
            return inUse;
        }
        db.Works.Remove(work);
        ResourceWrites.Stamp(db, HttpContext, work, "work", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "work", ct);
    }
}
