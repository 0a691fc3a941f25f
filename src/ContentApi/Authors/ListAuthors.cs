using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Authors;

public sealed class ListAuthors(ContentDb db, ContentAudience audience) : Endpoint<ListRequest, ListResponse<AuthorResponse>>
{
    public override void Configure()
    {
        Get("/v1/authors");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List authors";
            s.Description = "Every author, by name, with the number of published articles each has.";
        });
    }

    public override Task HandleAsync(ListRequest request, CancellationToken ct) =>
        NameOrderedList.SendAsync(HttpContext, request, db.Authors.AsNoTracking(), nameof(Author.Name),
            AuthorResponses.Projection(db, audience), a => (a.Name, a.Id), ct);
}
