using System.Linq.Expressions;
using ContentApi.Articles;
using ContentApi.Content;

namespace ContentApi.Sections;

/// <summary>A section, with how many published articles it holds.</summary>
public sealed record SectionResponse(Guid Id, string Slug, string Name, string? Description, int ArticleCount, DateTimeOffset UpdatedAt);

public static class SectionResponses
{
    /// <summary>The count is of the articles this audience sees: the public's from the kept count, a preview's counted.</summary>
    public static Expression<Func<Section, SectionResponse>> Projection(ContentDb db, ContentAudience audience)
    {
        if (audience.Preview)
        {
            var visible = db.Articles.Live(audience);
            return s => new SectionResponse(s.Id, s.Slug, s.Name, s.Description, visible.Count(a => a.SectionId == s.Id), s.UpdatedAt);
        }
        var now = audience.Now;
        return s => new SectionResponse(s.Id, s.Slug, s.Name, s.Description,
            db.ListedCounts.Where(c => c.Kind == ListedCount.Section && c.Key == s.Id).Sum(c => c.Listed)
            - db.Articles.Count(a => a.SectionId == s.Id && (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.PublishedAt > now),
            s.UpdatedAt);
    }
}
