using System.Linq.Expressions;
using ContentApi.Content;

namespace ContentApi.Sections;

/// <summary>A section, with how many published articles it holds.</summary>
public sealed record SectionResponse(Guid Id, string Slug, string Name, string? Description, int ArticleCount, DateTimeOffset UpdatedAt);

public static class SectionResponses
{
    public static Expression<Func<Section, SectionResponse>> Projection(IQueryable<Article> live) => s => new SectionResponse(
        s.Id, s.Slug, s.Name, s.Description, live.Count(a => a.SectionId == s.Id), s.UpdatedAt);
}
