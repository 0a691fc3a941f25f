using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class ListManagedWorks(ContentDb db) : Endpoint<ManagedListRequest, IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/works");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        Description(d => d.Produces<ListResponse<ManagedWork>>());
        Summary(s =>
        {
            s.Summary = "List works to edit";
            s.Description = "Every work, drafts included, newest first.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ManagedListRequest request, CancellationToken ct)
    {
        if (request.Status is not null)
        {
            return JsonBody.Invalid("status", "Only articles have a status; works do not.");
        }
        var page = await NewestFirstPage.ReadAsync(HttpContext,
            ManagedWork.Query(db).AsNoTracking().AsSplitQuery(), e => e.Id, request, ManagedWork.From, ct);
        return ResourceWrites.Answer(page, version: null);
    }
}
