using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Authors;

public sealed class ListManagedAuthors(ContentDb db) : Endpoint<ManagedListRequest, IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/authors");
        Policies(ApiScopes.Write);
        Tags("Manage authors");
        Description(d => d.Produces<ListResponse<ManagedAuthor>>());
        Summary(s =>
        {
            s.Summary = "List authors to edit";
            s.Description = "Every author, drafts included, newest first.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ManagedListRequest request, CancellationToken ct)
    {
        if (request.Status is not null)
        {
            return JsonBody.Invalid("status", "Only articles have a status; authors do not.");
        }
        var page = await NewestFirstPage.ReadAsync(HttpContext,
            db.Authors.AsNoTracking().AsSplitQuery(), e => e.Id, request, ManagedAuthor.From, ct);
        return ResourceWrites.Answer(page, version: null);
    }
}
