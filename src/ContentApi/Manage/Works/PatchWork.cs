using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class PatchWork(ContentDb db, TimeProvider clock) : Endpoint<WorkInput, IResult>
{
    public override void Configure()
    {
        Patch("/v1/manage/works/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        RequestBinder(new JsonBodyBinder<WorkInput>(WorkInput.Current));
        Description(d => d.Accepts<WorkInput>(JsonBody.MergePatchType, "application/json")
            .Produces<ManagedWork>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Change some fields of a work";
            s.Description = "A JSON Merge Patch (RFC 7396): the fields sent replace the current ones, null clears one, " +
                            "the rest stay. Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override async Task<IResult> ExecuteAsync(WorkInput input, CancellationToken ct)
    {
        var (work, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, ManagedWork.Query(db).AsSplitQuery(),
            Route<string>("id"), "work", ifMatchRequired: true, ct);
        if (work is null)
        {
            return problem!;
        }
        var now = clock.GetUtcNow();
        var oldSlug = work.Slug;
        if (await input.ApplyToAsync(db, work, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "work", work, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, HttpContext, work, "work", "patch", now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, HttpContext, "work", () => ManagedWork.From(work), work.Version, ct);
    }
}
