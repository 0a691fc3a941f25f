using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sections;

public sealed class GetSection(ContentDb db, ContentAudience audience) : Endpoint<SlugRequest, SectionResponse>
{
    public override void Configure()
    {
        Get("/v1/sections/{slug}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Get one section";
            s.Description = "A section's name, description and number of published articles. Its articles are at /v1/sections/{slug}/articles.";
        });
    }

    public override async Task HandleAsync(SlugRequest request, CancellationToken ct)
    {
        var section = await db.Sections.AsNoTracking().Where(s => s.Slug == request.Slug)
            .Select(SectionResponses.Projection(db, audience))
            .FirstOrDefaultAsync(ct);
        if (section is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "section", request.Slug, db.Sections.Select(s => new SlugRow { Id = s.Id, Slug = s.Slug }), ct);
            return;
        }
        await HttpContext.SendJsonAsync(section, section.UpdatedAt, ct);
    }
}
