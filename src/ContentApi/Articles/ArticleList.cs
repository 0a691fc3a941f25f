using System.Globalization;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Articles;

/// <summary>
/// Runs a list of article cards for any of the article list endpoints (all articles, an author's, a section's, a
/// topic's): filters, one keyset query for the page's ids (with the total, where the database keeps it: see
/// <see cref="ListedArticles"/>), one query for their cards, and otherwise a count that stops at 10,000.
/// </summary>
public static class ArticleList
{
    /// <summary>
    /// Sends a page of one section's, topic's or author's articles, or the 404 (301 for a former slug) when there is no
    /// such owner. The owner is looked up only when the page is empty: a card proves it exists, which saves a query on
    /// nearly every request.
    /// </summary>
    public static async Task SendOwnedAsync<T>(HttpContext http, ContentDb db, DeliveryQueries queries, ContentAudience audience,
        ArticlesOfRequest request, ArticleListFilters filters, string kind, IQueryable<T> owners, CancellationToken ct)
        where T : class, IManagedEntity
    {
        var (cards, page) = await ReadPageAsync(http, db, queries, audience, request, filters, ct);
        if (cards.Count == 0 && !await owners.AnyAsync(o => o.Slug == request.Slug, ct))
        {
            http.Response.Headers.Remove(HeaderNames.Link);
            await MissingSlug.SendAsync(http, db, kind, request.Slug, owners.Select(o => new SlugRow { Id = o.Id, Slug = o.Slug }), ct);
            return;
        }
        await http.SendJsonAsync(new ListResponse<ArticleCard>(cards, page), null, ct);
    }

    /// <summary>The page's cards and paging facts; sets the Link header.</summary>
    public static async Task<(List<ArticleCard> Cards, PageInfo Page)> ReadPageAsync(HttpContext http, ContentDb db, DeliveryQueries queries,
        ContentAudience audience, ArticleListRequest request, ArticleListFilters filters, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        if (!audience.Preview && await ListedArticles.ReadNewestPageAsync(queries, filters, filters.DecodeCursor(request.Cursor), request.Page,
                limit, audience.Now, ct) is var (keptCards, keptTotal, keptHasNext))
        {
            var nextKept = keptHasNext ? filters.EncodeCursor(Paging.EncodeTime(keptCards[^1].PublishedAt), keptCards[^1].Id) : null;
            Paging.SetLinks(http, nextKept, request.Page, keptHasNext);
            return (keptCards, new PageInfo(limit, nextKept, TotalCount.Exact(keptTotal)));
        }
        var matching = Filter(db.Articles.AsNoTracking().Live(audience), filters);
        var linked = audience.Preview ? null : ListedArticles.Keys(db, filters, audience.Now);
        var kept = audience.Preview ? null : ListedArticles.LiveCount(db, filters, audience.Now);

        var keyed = linked ?? Keys(matching, filters, audience.Preview);
        var page = Page(keyed, filters, filters.DecodeCursor(request.Cursor), request.Page, limit);
        if (filters.Q is null)
        {
            page = page.TagWith(DeliveryStatementTimeout.GenericPlanTag); // an index walk: see the tag
        }
        // A kept count rides along with the page's keys as a subquery, saving a round trip; a page past the end has
        // no row to carry it.
        var keys = await (kept is null ? page : page.Select(k => new Key
        {
            Id = k.Id, PublishedAt = k.PublishedAt, Title = k.Title, Rank = k.Rank, Total = kept.FirstOrDefault(),
        })).ToListAsync(ct);
        TotalCount total;
        if (kept is not null)
        {
            total = TotalCount.Exact(keys.Count > 0 ? keys[0].Total : await kept.SingleOrDefaultAsync(ct));
        }
        else
        {
            total = linked is not null ? await Paging.CountAsync(linked, ct) : await Paging.CountAsync(matching, ct);
        }
        var hasNext = keys.Count > limit;
        if (hasNext)
        {
            keys.RemoveAt(limit);
        }
        var ids = keys.Select(k => k.Id).ToList();
        // The deferred join: cards are built for the page's ids only, however deep the page.
        var cards = await ArticleCards.ReadAsync(queries, ids, ct);

        string? next = null;
        if (hasNext)
        {
            var last = keys[^1];
            next = filters.EncodeCursor(filters.Sort switch
            {
                ArticleSort.Title => last.Title,
                ArticleSort.Relevance => last.Rank.ToString("R", CultureInfo.InvariantCulture),
                _ => Paging.EncodeTime(last.PublishedAt),
            }, last.Id);
        }
        Paging.SetLinks(http, next, request.Page, hasNext);
        return (cards, new PageInfo(limit, next, total));
    }

    /// <summary>
    /// The ids of the newest <paramref name="count"/> articles the filters match, whatever the list's sort, and whether
    /// that is all of them.
    /// </summary>
    public static async Task<(List<Guid> Ids, bool All)> NewestIdsAsync(ContentDb db, ContentAudience audience, ArticleListFilters filters,
        int count, CancellationToken ct)
    {
        var newest = filters with { Sort = ArticleSort.NewestFirst };
        var keyed = (audience.Preview ? null : ListedArticles.Keys(db, newest, audience.Now))
                    ?? Keys(Filter(db.Articles.AsNoTracking().Live(audience), newest), newest, audience.Preview);
        var ids = await keyed.OrderByDescending(k => k.PublishedAt).ThenByDescending(k => k.Id).Select(k => k.Id)
            .Take(count + 1).ToListAsync(ct);
        var all = ids.Count <= count;
        if (!all)
        {
            ids.RemoveAt(count);
        }
        return (ids, all);
    }

    /// <summary>A row's sort keys. Built with an initializer, not a constructor, so that EF can keep composing on it.</summary>
    internal sealed class Key
    {
        public Guid Id { get; init; }
        public DateTimeOffset PublishedAt { get; init; }
        public string Title { get; init; } = "";
        public float Rank { get; init; }
        /// <summary>The list's total, when a kept count gives it.</summary>
        public int Total { get; init; }
    }

    public static IQueryable<Article> Filter(IQueryable<Article> articles, ArticleListFilters filters)
    {
        if (filters.Section is { } section)
        {
            articles = articles.Where(a => a.Section.Slug == section);
        }
        foreach (var topic in filters.Topics)
        {
            articles = articles.Where(a => a.Topics.Any(t => t.Topic.Slug == topic));
        }
        if (filters.Author is { } author)
        {
            articles = articles.Where(a => a.Authors.Any(x => x.Author.Slug == author));
        }
        if (filters.PublishedAfter is { } after)
        {
            articles = articles.Where(a => a.PublishedAt >= after);
        }
        if (filters.PublishedBefore is { } before)
        {
            articles = articles.Where(a => a.PublishedAt < before);
        }
        if (filters.Q is { } q)
        {
            articles = articles.Where(a => a.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", q)))
                .TagWith(Database.DeliveryStatementTimeout.CustomPlanTag);
        }
        return articles;
    }

    private static IQueryable<Key> Keys(IQueryable<Article> articles, ArticleListFilters filters, bool preview)
    {
        var q = filters.Q ?? "";
        // A draft in preview has no publish time yet; it sorts by its last change. Only previews pay for the
        // COALESCE, which the published-articles index cannot serve.
        return preview
            ? articles.Select(a => new Key
            {
                Id = a.Id,
                PublishedAt = a.PublishedAt ?? a.UpdatedAt,
                Title = a.Title,
                Rank = filters.Q == null ? 0f : a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q)),
            })
            : articles.Select(a => new Key
            {
                Id = a.Id,
                PublishedAt = a.PublishedAt!.Value,
                Title = a.Title,
                Rank = filters.Q == null ? 0f : a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q)),
            });
    }

    private static IQueryable<Key> Page(IQueryable<Key> keyed, ArticleListFilters filters, (string SortValue, Guid Id)? cursor, int? page, int limit)
    {
        IOrderedQueryable<Key> ordered;
        switch (filters.Sort)
        {
            case ArticleSort.OldestFirst:
                if (cursor is { } oldest)
                {
                    var after = Paging.DecodeTime(oldest.SortValue)!.Value;
                    keyed = keyed.Where(k => EF.Functions.GreaterThan(ValueTuple.Create(k.PublishedAt, k.Id), ValueTuple.Create(after, oldest.Id)));
                }
                ordered = keyed.OrderBy(k => k.PublishedAt).ThenBy(k => k.Id);
                break;
            case ArticleSort.Title:
                if (cursor is { } byTitle)
                {
                    keyed = keyed.Where(k => EF.Functions.GreaterThan(ValueTuple.Create(k.Title, k.Id), ValueTuple.Create(byTitle.SortValue, byTitle.Id)));
                }
                ordered = keyed.OrderBy(k => k.Title).ThenBy(k => k.Id);
                break;
            case ArticleSort.Relevance:
                if (cursor is { } byRank)
                {
                    var rank = float.Parse(byRank.SortValue, CultureInfo.InvariantCulture);
                    keyed = keyed.Where(k => EF.Functions.LessThan(ValueTuple.Create(k.Rank, k.Id), ValueTuple.Create(rank, byRank.Id)));
                }
                ordered = keyed.OrderByDescending(k => k.Rank).ThenByDescending(k => k.Id);
                break;
            default:
                if (cursor is { } newest)
                {
                    var before = Paging.DecodeTime(newest.SortValue)!.Value;
                    keyed = keyed.Where(k => EF.Functions.LessThan(ValueTuple.Create(k.PublishedAt, k.Id), ValueTuple.Create(before, newest.Id)));
                }
                ordered = keyed.OrderByDescending(k => k.PublishedAt).ThenByDescending(k => k.Id);
                break;
        }
        return (page is { } number ? ordered.Skip((number - 1) * limit) : ordered).Take(limit + 1);
    }
}
