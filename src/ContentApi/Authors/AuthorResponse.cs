using ContentApi.Articles;
using ContentApi.Content;
using System.Linq.Expressions;

namespace ContentApi.Authors;

/// <summary>A labelled link on an author's profile.</summary>
public sealed record AuthorLinkResponse(string Label, string Url);

/// <summary>An author's profile, with how many published articles they have.</summary>
public sealed record AuthorResponse(Guid Id, string Slug, string Name, string? Bio, string? AvatarUrl,
    IReadOnlyList<AuthorLinkResponse> Links, int ArticleCount, DateTimeOffset UpdatedAt);

public static class AuthorResponses
{
    /// <summary>
    /// The projection both author endpoints use; the count is of the articles this audience sees. The public's comes
    /// from the kept count (see <see cref="ListedArticles"/>), a preview's is counted.
    /// </summary>
    public static Expression<Func<Author, AuthorResponse>> Projection(ContentDb db, ContentAudience audience)
    {
        if (audience.Preview)
        {
            var visible = db.Articles.Live(audience);
            return a => new AuthorResponse(a.Id, a.Slug, a.Name, a.Bio, a.AvatarUrl,
                a.Links.Select(l => new AuthorLinkResponse(l.Label, l.Url)).ToList(),
                visible.Count(x => x.Authors.Any(y => y.AuthorId == a.Id)), a.UpdatedAt);
        }
        var now = audience.Now;
        return a => new AuthorResponse(a.Id, a.Slug, a.Name, a.Bio, a.AvatarUrl,
            a.Links.Select(l => new AuthorLinkResponse(l.Label, l.Url)).ToList(),
            db.ListedCounts.Where(c => c.Kind == ListedCount.Author && c.Key == a.Id).Sum(c => c.Listed)
            - db.Set<ArticleAuthor>().Count(l => l.AuthorId == a.Id && l.ListedAt > now),
            a.UpdatedAt);
    }
}
