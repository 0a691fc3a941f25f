using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Topics;

public sealed class ListTopics(ContentDb db, ContentAudience audience) : Endpoint<ListRequest, ListResponse<TopicResponse>>
{
    public override void Configure()
    {
        Get("/v1/topics");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "List topics";
            s.Description = "Every topic, by name, with the number of published articles tagged with each.";
        });
    }

    public override Task HandleAsync(ListRequest request, CancellationToken ct) =>
        NameOrderedList.SendAsync(HttpContext, request, db.Topics.AsNoTracking(), nameof(Topic.Name),
            TopicResponses.Projection(db, audience), s => (s.Name, s.Id), ct);
}
