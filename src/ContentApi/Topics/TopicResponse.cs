using System.Linq.Expressions;
using ContentApi.Content;

namespace ContentApi.Topics;

/// <summary>A topic, with how many published articles are tagged with it.</summary>
public sealed record TopicResponse(Guid Id, string Slug, string Name, string? Description, int ArticleCount, DateTimeOffset UpdatedAt);

public static class TopicResponses
{
    public static Expression<Func<Topic, TopicResponse>> Projection(IQueryable<Article> live) => s => new TopicResponse(
        s.Id, s.Slug, s.Name, s.Description, live.Count(a => a.Topics.Any(t => t.TopicId == s.Id)), s.UpdatedAt);
}
