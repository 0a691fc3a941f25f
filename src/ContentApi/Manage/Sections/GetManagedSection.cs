using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class GetManagedSection(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/sections/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        Description(d => d.Produces<ManagedSection>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a section to edit";
            s.Description = "The section by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (section, missing) = await ResourceWrites.FindAsync(db.Sections.AsNoTracking(), Route<string>("id"), "section", ct);
        return section is null ? missing! : ResourceWrites.Answer(ManagedSection.From(section), section.Version);
    }
}
