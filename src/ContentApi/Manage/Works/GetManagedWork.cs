using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Works;

public sealed class GetManagedWork(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/works/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage works");
        Description(d => d.Produces<ManagedWork>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a work to edit";
            s.Description = "The work by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (work, missing) = await ResourceWrites.FindAsync(ManagedWork.Query(db).AsNoTracking(), Route<string>("id"), "work", ct);
        return work is null ? missing! : ResourceWrites.Answer(ManagedWork.From(work), work.Version);
    }
}
