using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Sections;

public sealed class ListManagedSections(ContentDb db) : Endpoint<ManagedListRequest, IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/sections");
        Policies(ApiScopes.Write);
        Tags("Manage sections");
        Description(d => d.Produces<ListResponse<ManagedSection>>());
        Summary(s =>
        {
            s.Summary = "List sections to edit";
            s.Description = "Every section, drafts included, newest first.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ManagedListRequest request, CancellationToken ct)
    {
        if (request.Status is not null)
        {
            return JsonBody.Invalid("status", "Only articles have a status; sections do not.");
        }
        var page = await NewestFirstPage.ReadAsync(HttpContext,
            db.Sections.AsNoTracking().AsSplitQuery(), e => e.Id, request, ManagedSection.From, ct);
        return ResourceWrites.Answer(page, version: null);
    }
}
