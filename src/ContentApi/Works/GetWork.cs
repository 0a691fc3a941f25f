using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Works;

public sealed class GetWork(ContentDb db) : Endpoint<SlugRequest, WorkResponse>
{
    public override void Configure()
    {
        Get("/v1/works/{slug}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Get one work";
            s.Description = "One of the publisher's works: kind, title, short label, subtitle, creators, description, cover, link and topics.";
        });
    }

    public override async Task HandleAsync(SlugRequest request, CancellationToken ct)
    {
        var work = await db.Works.AsNoTracking().Where(w => w.Slug == request.Slug).Select(WorkResponses.Projection).FirstOrDefaultAsync(ct);
        if (work is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "work", request.Slug, db.Works.Select(w => new SlugRow { Id = w.Id, Slug = w.Slug }), ct);
            return;
        }
        await HttpContext.SendJsonAsync(work, work.UpdatedAt, ct);
    }
}
