using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class ReplaceWork(ContentDb db) : Endpoint<WorkInput, IResult>
{
    public override void Configure()
    {
        Put("/v1/manage/works/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        RequestBinder(new JsonBodyBinder<WorkInput>(WorkInput.Current));
        Description(d => d.Accepts<WorkInput>("application/json")
            .Produces<ManagedWork>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Replace a work";
            s.Description = "Replaces every field of the work with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override Task<IResult> ExecuteAsync(WorkInput input, CancellationToken ct) =>
        ReplaceAsync(HttpContext, db, Route<string>("id"), input, "replace", ct);

    /// <summary>The replace itself, audited as <paramref name="action"/>: a restore (Versions/RestoreVersion) is this with a stored version's fields.</summary>
    public static async Task<IResult> ReplaceAsync(HttpContext http, ContentDb db, string? id, WorkInput input, string action,
        CancellationToken ct)
    {
        var (work, version, problem) = await ResourceWrites.FindForWriteAsync(http, ManagedWork.Query(db).AsSplitQuery(),
            id, "work", ifMatchRequired: true, ct);
        if (work is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = work.Slug;
        if (await input.ApplyToAsync(db, work, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "work", work, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, http, work, "work", action, now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, http, "work", () => ManagedWork.From(work), work.Version, ct);
    }
}
