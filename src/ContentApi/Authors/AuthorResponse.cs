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
    /// <summary>The projection both author endpoints use; the count is of live articles only.</summary>
    public static Expression<Func<Author, AuthorResponse>> Projection(IQueryable<Article> live) => a => new AuthorResponse(
        a.Id, a.Slug, a.Name, a.Bio, a.AvatarUrl,
        a.Links.Select(l => new AuthorLinkResponse(l.Label, l.Url)).ToList(),
        live.Count(x => x.Authors.Any(y => y.AuthorId == a.Id)),
        a.UpdatedAt);
}
