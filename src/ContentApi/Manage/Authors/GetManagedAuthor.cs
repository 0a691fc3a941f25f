using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Authors;

public sealed class GetManagedAuthor(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get("/v1/manage/authors/{id}");
        Policies(ApiScopes.Write);
        Tags("Manage authors");
        Description(d => d.Produces<ManagedAuthor>().Produces(StatusCodes.Status304NotModified).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get a author to edit";
            s.Description = "The author by id, whatever its status, with the ETag to send as If-Match when changing it.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (author, missing) = await ResourceWrites.FindAsync(db.Authors.AsNoTracking(), Route<string>("id"), "author", ct);
        return author is null ? missing! : ResourceWrites.Answer(ManagedAuthor.From(author), author.Version);
    }
}
