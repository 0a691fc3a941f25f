using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class DeleteSection(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/sections/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Delete a section";
            s.Description = "Deletes the section; 409 while articles or works still use it, naming them. Needs If-Match.";
            s.Responses[StatusCodes.Status409Conflict] = "Articles or works still use the resource; detail names them.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (section, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.Sections, Route<string>("id"), "section",
            ifMatchRequired: true, ct);
        if (section is null)
        {
            return problem!;
        }
        if (await ResourceWrites.StillUsedAsync("section", section.Slug, ct,
            (db.Articles.Where(a => a.SectionId == section.Id).Select(a => a.Slug), "article")) is { } inUse)
        {
            return inUse;
        }
        db.Sections.Remove(section);
        ResourceWrites.Stamp(db, HttpContext, section, "section", "delete", clock.GetUtcNow(), version);
        return await ResourceWrites.SaveDeletedAsync(db, HttpContext, "section", ct);
    }
}
