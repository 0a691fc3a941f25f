using System.Linq.Expressions;
using ContentApi.Articles;
using ContentApi.Content;

namespace ContentApi.Works;

/// <summary>One of the publisher's works (book, CD...), as its catalogue page shows it.</summary>
public sealed record WorkResponse(Guid Id, string Slug, WorkKind Kind, string Title, string? ShortLabel, string? Subtitle,
    string? Creators, string? Description, string? CoverUrl, string? Url, IReadOnlyList<TopicSummary> Topics, DateTimeOffset UpdatedAt);

public static class WorkResponses
{
    public static readonly Expression<Func<Work, WorkResponse>> Projection = w => new WorkResponse(
        w.Id, w.Slug, w.Kind, w.Title, w.ShortLabel, w.Subtitle, w.Creators, w.Description, w.CoverUrl, w.Url,
        w.Topics.OrderBy(t => t.Topic.Name).Select(t => new TopicSummary(t.Topic.Slug, t.Topic.Name)).ToList(),
        w.UpdatedAt);
}
