using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Sections;

public sealed class ListSections(ContentDb db, ContentAudience audience) : Endpoint<ListRequest, ListResponse<SectionResponse>>
{
    public override void Configure()
    {
        Get("/v1/sections");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List sections";
            s.Description = "Every section, by name, with the number of published articles each holds.";
        });
    }

    public override Task HandleAsync(ListRequest request, CancellationToken ct) =>
        NameOrderedList.SendAsync(HttpContext, request, db.Sections.AsNoTracking(), nameof(Section.Name),
            SectionResponses.Projection(db, audience), s => (s.Name, s.Id), ct);
}
