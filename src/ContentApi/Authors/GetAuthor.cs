using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Authors;

public sealed class GetAuthor(ContentDb db, ContentAudience audience) : Endpoint<SlugRequest, AuthorResponse>
{
    public override void Configure()
    {
        Get("/v1/authors/{slug}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Get one author";
            s.Description = "An author's profile: name, bio, avatar, links and the number of published articles. " +
                            "Their articles are at /v1/authors/{slug}/articles.";
        });
    }

    public override async Task HandleAsync(SlugRequest request, CancellationToken ct)
    {
        var author = await db.Authors.AsNoTracking().Where(a => a.Slug == request.Slug)
            .Select(AuthorResponses.Projection(db, audience))
            .FirstOrDefaultAsync(ct);
        if (author is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "author", request.Slug, db.Authors.Select(a => new SlugRow { Id = a.Id, Slug = a.Slug }), ct);
            return;
        }
        await HttpContext.SendJsonAsync(author, author.UpdatedAt, ct);
    }
}
