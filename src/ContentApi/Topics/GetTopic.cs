using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Topics;

public sealed class GetTopic(ContentDb db, ContentAudience audience) : Endpoint<SlugRequest, TopicResponse>
{
    public override void Configure()
    {
        Get("/v1/topics/{slug}");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Get one topic";
            s.Description = "A topic's name, description and number of published articles tagged with it. Its articles are at /v1/topics/{slug}/articles.";
        });
    }

    public override async Task HandleAsync(SlugRequest request, CancellationToken ct)
    {
        // One row by its key, and counts read from indexes: one plan suits any topic and time.
        var topic = await db.Topics.AsNoTracking().Where(s => s.Slug == request.Slug)
            .TagWith(DeliveryStatementTimeout.GenericPlanTag)
            .Select(TopicResponses.Projection(db, audience))
            .FirstOrDefaultAsync(ct);
        if (topic is null)
        {
            await MissingSlug.SendAsync(HttpContext, db, "topic", request.Slug, db.Topics.Select(s => new SlugRow { Id = s.Id, Slug = s.Slug }), ct);
            return;
        }
        await HttpContext.SendJsonAsync(topic, topic.UpdatedAt, ct);
    }
}
