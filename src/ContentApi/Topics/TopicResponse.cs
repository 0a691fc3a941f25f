using System.Linq.Expressions;
using ContentApi.Articles;
using ContentApi.Content;

namespace ContentApi.Topics;

/// <summary>A topic, with how many published articles are tagged with it.</summary>
public sealed record TopicResponse(Guid Id, string Slug, string Name, string? Description, int ArticleCount, DateTimeOffset UpdatedAt);

public static class TopicResponses
{
    /// <summary>The count is of the articles this audience sees: the public's from the kept count, a preview's counted.</summary>
    public static Expression<Func<Topic, TopicResponse>> Projection(ContentDb db, ContentAudience audience)
    {
        if (audience.Preview)
        {
            var visible = db.Articles.Live(audience);
            return s => new TopicResponse(s.Id, s.Slug, s.Name, s.Description, visible.Count(a => a.Topics.Any(t => t.TopicId == s.Id)), s.UpdatedAt);
        }
        var now = audience.Now;
        return s => new TopicResponse(s.Id, s.Slug, s.Name, s.Description,
            db.ListedCounts.Where(c => c.Kind == ListedCount.Topic && c.Key == s.Id).Sum(c => c.Listed)
            - db.Set<ArticleTopic>().Count(l => l.TopicId == s.Id && l.ListedAt > now),
            s.UpdatedAt);
    }
}
