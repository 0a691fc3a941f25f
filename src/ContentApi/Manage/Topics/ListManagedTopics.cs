using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Topics;

public sealed class ListManagedTopics(ContentDb db) : Endpoint<ManagedListRequest, IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/topics");
        Policies(ApiScopes.Write);
        Tags("Manage topics");
        Description(d => d.Produces<ListResponse<ManagedTopic>>());
        Summary(s =>
        {
            s.Summary = "List topics to edit";
            s.Description = "Every topic, drafts included, newest first.";
        });
    }

    public override async Task<IResult> ExecuteAsync(ManagedListRequest request, CancellationToken ct)
    {
        if (request.Status is not null)
        {
            return JsonBody.Invalid("status", "Only articles have a status; topics do not.");
        }
        var page = await NewestFirstPage.ReadAsync(HttpContext,
            db.Topics.AsNoTracking().AsSplitQuery(), e => e.Id, request, ManagedTopic.From, ct);
        return ResourceWrites.Answer(page, version: null);
    }
}
