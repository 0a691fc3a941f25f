using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class PatchSection(ContentDb db, TimeProvider clock) : Endpoint<SectionInput, IResult>
{
    public override void Configure()
    {
        Patch("/v1/manage/sections/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        RequestBinder(new JsonBodyBinder<SectionInput>(SectionInput.Current));
        Description(d => d.Accepts<SectionInput>(JsonBody.MergePatchType, "application/json")
            .Produces<ManagedSection>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Change some fields of a section";
            s.Description = "A JSON Merge Patch (RFC 7396): the fields sent replace the current ones, null clears one, " +
                            "the rest stay. Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override async Task<IResult> ExecuteAsync(SectionInput input, CancellationToken ct)
    {
        var (section, version, problem) = await ResourceWrites.FindForWriteAsync(HttpContext, db.Sections, Route<string>("id"), "section",
            ifMatchRequired: true, ct);
        if (section is null)
        {
            return problem!;
        }
        var now = clock.GetUtcNow();
        var oldSlug = section.Slug;
        if (await input.ApplyToAsync(db, section, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "section", section, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, HttpContext, section, "section", "patch", now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, HttpContext, "section", () => ManagedSection.From(section), section.Version, ct);
    }
}
