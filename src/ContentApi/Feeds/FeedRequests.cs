using System.ComponentModel.DataAnnotations;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Feeds;

/// <summary>Which format of the feed: the file extension in the address.</summary>
public class FeedRequest
{
    /// <summary>rss (RSS 2.0), atom (Atom 1.0) or json (JSON Feed 1.1).</summary>
    [AllowedValues("rss", "atom", "json")]
    public string Format { get; init; } = "";
}

/// <summary>A feed of one section's, topic's or author's articles.</summary>
public sealed class SlugFeedRequest : FeedRequest
{
    /// <summary>The section's, topic's or author's slug.</summary>
    public string Slug { get; init; } = "";
}

public sealed class FeedRequestValidator : Validator<FeedRequest>
{
    public FeedRequestValidator() => RuleFor(r => r.Format).Must(f => FeedDocument.Formats.Contains(f))
        .WithMessage("The feed's extension must be .rss, .atom or .json.");
}

public sealed class SlugFeedRequestValidator : Validator<SlugFeedRequest>
{
    public SlugFeedRequestValidator()
    {
        Include(new FeedRequestValidator());
        RuleFor(r => r.Slug).ValidSlug();
    }
}

/// <summary>
/// Answers a feed: the scope's newest live articles in the asked format, with ETag and 304, from its stored rendering
/// when that is current (<see cref="StoredFeeds"/>), otherwise rendered and kept.
/// </summary>
public static class FeedAnswer
{
    public static async Task SendAsync(HttpContext http, ContentDb db, DeliveryQueries queries, StoredFeeds stored, ContentAudience audience,
        SiteOptions site, string format, FeedInfo info, FeedMiss miss, FeedScope scope, Func<IQueryable<Article>, IQueryable<Article>> filter,
        CancellationToken ct)
    {
        var read = miss.Store ? await stored.ScopeAsync(scope, audience.Now, ct) : default;
        var entries = await FeedDocument.EntriesAsync(filter(db.Articles.Live(audience)), queries, site, ct);
        using var feed = FeedDocument.Write(format, info with { SelfUrl = miss.SelfUrl }, entries, site);
        var body = feed.GetBuffer().AsMemory(0, (int)feed.Length);
        DateTimeOffset? lastModified = entries.Count == 0 ? null : entries.Max(e => e.Updated);
        await http.SendBytesAsync(body, FeedDocument.ContentType(format), lastModified, ct);
        if (miss.Store)
        {
            await stored.SaveAsync(miss, scope, read, body, lastModified, ct);
        }
    }

    /// <summary>
    /// A scope for a topic's or an author's feed: its newest live articles, walked down the link table's index (see
    /// <see cref="ListedArticles"/>). Filtering the articles by topic instead joins every article of the topic, which
    /// for one of tens of thousands takes a second. A preview sees drafts, which the links do not list.
    /// </summary>
    public static Func<IQueryable<Article>, IQueryable<Article>> NewestOf(ContentDb db, ContentAudience audience, string? topic, string? author,
        Func<IQueryable<Article>, IQueryable<Article>> previewScope)
    {
        var filters = new ArticleListFilters(null, topic is null ? [] : [topic], author, null, null, null, ArticleSort.NewestFirst);
        if (audience.Preview || ListedArticles.Keys(db, filters, audience.Now) is not { } keys)
        {
            return previewScope;
        }
        var newest = keys.OrderByDescending(k => k.PublishedAt).ThenByDescending(k => k.Id).Take(FeedDocument.Size).Select(k => k.Id);
        return articles => articles.Where(a => newest.Contains(a.Id));
    }

    /// <summary>The title, description and slug of the section, topic or author and its id, or a 404 (301 for a former slug).</summary>
    public static async Task<(FeedInfo Info, Guid Id)?> FindAsync<T>(HttpContext http, ContentDb db, SiteOptions site,
        string kind, string plural, string slug, IQueryable<T> table, Func<T, string> describe, CancellationToken ct)
        where T : class, IManagedEntity
    {
        var found = await table.AsNoTracking().FirstOrDefaultAsync(e => e.Slug == slug, ct);
        if (found is null)
        {
            await MissingSlug.SendAsync(http, db, kind, slug, table.Select(e => new SlugRow { Id = e.Id, Slug = e.Slug }), ct);
            return null;
        }
        return (new FeedInfo($"{site.Name}: {describe(found)}", $"The newest articles of {describe(found)} at {site.Name}.",
            site.PageUrl(plural, slug), ""), found.Id);
    }
}
