using System.Linq.Expressions;
using ContentApi.Content;

namespace ContentApi.Articles;

/// <summary>The projection from an article row to its card, shared by every list of articles.</summary>
public static class ArticleCards
{
    public static readonly Expression<Func<Article, ArticleCard>> Projection = a => new ArticleCard(
        a.Id,
        a.Slug,
        a.Title,
        a.Dek,
        a.Excerpt,
        new SectionSummary(a.Section.Slug, a.Section.Name),
        a.Authors.OrderBy(x => x.Position).Select(x => new AuthorSummary(x.Author.Slug, x.Author.Name, x.Author.AvatarUrl)).ToList(),
        a.Topics.OrderBy(x => x.Topic.Name).Select(x => new TopicSummary(x.Topic.Slug, x.Topic.Name)).ToList(),
        a.Image == null ? null : new ImageResponse(a.Image.Url, a.Image.Alt, a.Image.Credit),
        a.PublishedAt ?? a.UpdatedAt,
        a.UpdatedAt,
        a.ReadingMinutes);
}
