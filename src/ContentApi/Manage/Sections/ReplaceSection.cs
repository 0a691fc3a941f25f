using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class ReplaceSection(ContentDb db) : Endpoint<SectionInput, IResult>
{
    public override void Configure()
    {
        Put("/v1/manage/sections/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        RequestBinder(new JsonBodyBinder<SectionInput>(SectionInput.Current));
        Description(d => d.Accepts<SectionInput>("application/json")
            .Produces<ManagedSection>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType));
        Summary(s =>
        {
            s.Summary = "Replace a section";
            s.Description = "Replaces every field of the section with the body (a field left out becomes empty). " +
                            "Needs If-Match with the current ETag: 428 without it, 412 when someone changed it since.";
        });
    }

    public override Task<IResult> ExecuteAsync(SectionInput input, CancellationToken ct) =>
        ReplaceAsync(HttpContext, db, Route<string>("id"), input, "replace", ct);

    /// <summary>The replace itself, audited as <paramref name="action"/>: a restore (Versions/RestoreVersion) is this with a stored version's fields.</summary>
    public static async Task<IResult> ReplaceAsync(HttpContext http, ContentDb db, string? id, SectionInput input, string action,
        CancellationToken ct)
    {
        var (section, version, problem) = await ResourceWrites.FindForWriteAsync(http, db.Sections, id, "section",
            ifMatchRequired: true, ct);
        if (section is null)
        {
            return problem!;
        }
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var oldSlug = section.Slug;
        if (await input.ApplyToAsync(db, section, ct) is { } refused)
        {
            return refused;
        }
        if (await ResourceWrites.ClaimSlugAsync(db, "section", section, input.Slug!, oldSlug, now, ct) is { } slugTaken)
        {
            return slugTaken;
        }
        ResourceWrites.Stamp(db, http, section, "section", action, now, version);
        return await ResourceWrites.SaveAndAnswerAsync(db, http, "section", () => ManagedSection.From(section), section.Version, ct);
    }
}
