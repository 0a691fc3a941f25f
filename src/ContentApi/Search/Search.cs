using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace ContentApi.Search;

public sealed class SearchRequest : ArticleListRequest
{
    /// <summary>What to search: a comma-separated subset of article, author, topic, work (default: all, or article when an article filter is given).</summary>
    [RegularExpression("^(article|author|topic|work)(,(article|author|topic|work))*$")]
    public string? Type { get; init; }
}

public sealed class SearchValidator : Validator<SearchRequest>
{
    public static readonly string[] Types = ["article", "author", "topic", "work"];

    public SearchValidator()
    {
        Include(new ArticleListRules());
        RuleFor(r => r.Q).NotEmpty().WithMessage("'q' is required: the words to search for.");
        RuleFor(r => r.Type).Must(t => t!.Split(',').All(part => Types.Contains(part.Trim()))).When(r => r.Type is not null)
            .WithMessage($"'type' must be a comma-separated list of: {string.Join(", ", Types)}.");
        RuleFor(r => r.Sort).Must(s => s is "relevance").When(r => r.Sort is not null)
            .WithMessage("Search results are sorted by relevance; use /v1/articles?q=... for other sorts.");
    }
}

/// <summary>
/// One search hit. <c>snippet</c> is HTML: the matched text, escaped, with the matching words in &lt;mark&gt;.
/// <c>article</c> is the card when the hit is an article.
/// </summary>
public sealed record SearchHit(string Type, Guid Id, string Slug, string Title, string? Snippet, float Rank, ArticleCard? Article);

public sealed class Search(ContentDb db, ContentAudience audience) : Endpoint<SearchRequest, ListResponse<SearchHit>>
{
    // Control characters cannot occur in stored text, so they mark matches safely until the text is escaped.
    private const string MarkStart = "\u0002";
    private const string MarkEnd = "\u0003";
    /// <summary>How many matching articles are ranked: the newest ones. Search results end there.</summary>
    public const int RankedMatches = 200;
    /// <summary>How many of the newest articles holding all of a quoted phrase's words are checked for the phrase.</summary>
    public const int PhraseWindow = 1000;
    private const string HeadlineOptions = "StartSel=\u0002, StopSel=\u0003, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"";

    public override void Configure()
    {
        Get("/v1/search");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Search articles, authors, topics and works";
            s.Description = "PostgreSQL full-text search with English stemming and web search syntax: words, \"quoted phrases\", " +
                            "or, -excluded. Titles weigh more than deks, deks more than bodies. Results are ranked, carry a " +
                            "highlighted snippet, and combine with the article filters of /v1/articles.";
        });
    }

    public override async Task HandleAsync(SearchRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var filters = ArticleListFilters.From(request) with { Sort = ArticleSort.Relevance };
        var q = filters.Q!;
        var cursor = filters.DecodeCursor(request.Cursor);
        var types = SelectedTypes(request);
        var skip = request.Page is { } page ? (page - 1) * limit : 0;
        // Every type could supply the whole page, so each is asked for all of it; page × limit is at most
        // Paging.MaxDepth, so this is too.
        var take = skip + limit + 1;

        var ranked = new List<Ranked>();
        var total = TotalCount.Exact(0);
        if (types.Contains("article"))
        {
            var (matches, counted) = await NewestMatchesAsync(filters, q, ct);
            total += counted;
            ranked.AddRange(matches
                .Where(r => cursor is not { } c || IsBefore(r, float.Parse(c.SortValue, CultureInfo.InvariantCulture), c.Id))
                .OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id)
                .Take(take));
        }
        if (types.Contains("author"))
        {
            total += await RankTableAsync(db.Authors, "author", nameof(Author.Name), q, cursor, take, ranked, ct);
        }
        if (types.Contains("topic"))
        {
            total += await RankTableAsync(db.Topics, "topic", nameof(Topic.Name), q, cursor, take, ranked, ct);
        }
        if (types.Contains("work"))
        {
            total += await RankTableAsync(db.Works, "work", nameof(Work.Title), q, cursor, take, ranked, ct);
        }

        var merged = ranked.OrderByDescending(h => h.Rank).ThenByDescending(h => h.Id).Skip(skip).Take(limit + 1).ToList();
        var (items, next) = Paging.Trim(merged, limit, h => filters.EncodeCursor(h.Rank.ToString("R", CultureInfo.InvariantCulture), h.Id));

        // Headlines re-read and re-parse each text, which costs far more than ranking: only the hits returned get one.
        var snippets = new Dictionary<Guid, string?>();
        var articleIds = IdsOf(items, "article");
        var cards = new Dictionary<Guid, ArticleCard>();
        if (articleIds.Count > 0)
        {
            foreach (var a in await db.Articles.AsNoTracking().Where(a => articleIds.Contains(a.Id))
                         .Select(a => new { a.Id, Snippet = EF.Functions.WebSearchToTsQuery("english", q).GetResultHeadline(a.BodyText, HeadlineOptions) })
                         .ToListAsync(ct))
            {
                snippets[a.Id] = a.Snippet;
            }
            cards = await db.Articles.AsNoTracking().Where(a => articleIds.Contains(a.Id)).Select(ArticleCards.Projection).ToDictionaryAsync(a => a.Id, ct);
        }
        await HeadlinesAsync(db.Authors, nameof(Author.Bio), IdsOf(items, "author"), q, snippets, ct);
        await HeadlinesAsync(db.Topics, nameof(Topic.Description), IdsOf(items, "topic"), q, snippets, ct);
        await HeadlinesAsync(db.Works, nameof(Work.Description), IdsOf(items, "work"), q, snippets, ct);

        var hits = items.Select(h => new SearchHit(h.Type, h.Id, h.Slug, h.Title, Highlight(snippets.GetValueOrDefault(h.Id)), h.Rank,
            cards.GetValueOrDefault(h.Id))).ToList();
        Paging.SetLinks(HttpContext, next, request.Page, next is not null);
        await HttpContext.SendJsonAsync(new ListResponse<SearchHit>(hits, new PageInfo(limit, next, total)), null, ct);
    }

    /// <summary>
    /// The newest live articles matching <paramref name="q"/> (at most <see cref="RankedMatches"/>) with their ranks, and
    /// how many there are. Ranking reads each match's whole search vector, so it is bounded to the newest matches: for a
    /// common word PostgreSQL walks the published-date index and stops at the bound, for a rare one it reads the few
    /// matches from the GIN index.
    /// </summary>
    private async Task<(List<Ranked> Matches, TotalCount Total)> NewestMatchesAsync(ArticleListFilters filters, string q, CancellationToken ct)
    {
        var live = db.Articles.AsNoTracking().Live(audience);
        if (!q.Contains('"', StringComparison.Ordinal))
        {
            var matches = await ArticleList.Filter(live, filters)
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
                .Take(RankedMatches)
                .Select(a => new Ranked("article", a.Id, a.Slug, a.Title, a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q))))
                .ToListAsync(ct);
            return (matches, matches.Count < RankedMatches ? TotalCount.Exact(matches.Count) : new TotalCount(matches.Count, false));
        }

        // The GIN index holds no word positions, so every article holding a phrase's words must be read to find the
        // phrase: with common words that is most of the archive. The phrase is looked for in the newest articles that
        // hold all its words instead.
        var window = await ArticleList.Filter(live, filters with { Q = q.Replace('"', ' ') })
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(PhraseWindow)
            .Select(a => new { a.Id, HasPhrase = a.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", q)) })
            .ToListAsync(ct);
        var ids = window.Where(a => a.HasPhrase).Take(RankedMatches).Select(a => a.Id).ToList();
        var ranked = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new Ranked("article", a.Id, a.Slug, a.Title, a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q))))
            .ToListAsync(ct);
        var exact = window.Count < PhraseWindow && ranked.Count < RankedMatches;
        return (ranked, new TotalCount(ranked.Count, exact));
    }

    /// <summary>Whether a hit comes after the cursor's position in the order of rank, then id, both descending.</summary>
    private static bool IsBefore(Ranked hit, float rank, Guid id) => hit.Rank < rank || (hit.Rank == rank && hit.Id.CompareTo(id) < 0);

    /// <summary>A row's rank keys. Built with an initializer, not a constructor, so that EF can keep composing on it.</summary>
    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public float Rank { get; init; }
    }

    /// <summary>A ranked match of any type, before its snippet is made.</summary>
    private sealed record Ranked(string Type, Guid Id, string Slug, string Title, float Rank);

    /// <summary>The best <paramref name="take"/> rows after the cursor, best first.</summary>
    private static async Task<IEnumerable<Ranked>> RankAsync(IQueryable<Row> rows, string type, (string SortValue, Guid Id)? cursor,
        int take, CancellationToken ct)
    {
        if (cursor is { } c)
        {
            var rank = float.Parse(c.SortValue, CultureInfo.InvariantCulture);
            rows = rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Rank, r.Id), ValueTuple.Create(rank, c.Id)));
        }
        var found = await rows.OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
        return found.Select(r => new Ranked(type, r.Id, r.Slug, r.Title, r.Rank));
    }

    /// <summary>
    /// Ranks one of the small tables (authors, topics, works) through its stored search vector: adds its best
    /// <paramref name="take"/> matches after the cursor to <paramref name="ranked"/> and returns how many match.
    /// </summary>
    private static async Task<TotalCount> RankTableAsync<TEntity>(IQueryable<TEntity> table, string type, string titleColumn, string q,
        (string SortValue, Guid Id)? cursor, int take, List<Ranked> ranked, CancellationToken ct)
        where TEntity : class
    {
        var matching = table.AsNoTracking().Where(e =>
            EF.Property<NpgsqlTsVector>(e, "SearchVector").Matches(EF.Functions.WebSearchToTsQuery("english", q)));
        var count = await Paging.CountAsync(matching, ct);
        var rows = matching.Select(e => new Row
        {
            Id = EF.Property<Guid>(e, "Id"),
            Slug = EF.Property<string>(e, "Slug"),
            Title = EF.Property<string>(e, titleColumn),
            Rank = EF.Property<NpgsqlTsVector>(e, "SearchVector").Rank(EF.Functions.WebSearchToTsQuery("english", q)),
        });
        ranked.AddRange(await RankAsync(rows, type, cursor, take, ct));
        return count;
    }

    /// <summary>Adds the headline of each of <paramref name="ids"/> in one of the small tables to <paramref name="snippets"/>.</summary>
    private static async Task HeadlinesAsync<TEntity>(IQueryable<TEntity> table, string textColumn, List<Guid> ids, string q,
        Dictionary<Guid, string?> snippets, CancellationToken ct)
        where TEntity : class
    {
        if (ids.Count == 0)
        {
            return;
        }
        var headlines = await table.AsNoTracking().Where(e => ids.Contains(EF.Property<Guid>(e, "Id")))
            .Select(e => new
            {
                Id = EF.Property<Guid>(e, "Id"),
                Snippet = EF.Functions.WebSearchToTsQuery("english", q).GetResultHeadline(EF.Property<string?>(e, textColumn) ?? "", HeadlineOptions),
            })
            .ToListAsync(ct);
        foreach (var headline in headlines)
        {
            snippets[headline.Id] = headline.Snippet;
        }
    }

    private static List<Guid> IdsOf(IEnumerable<Ranked> hits, string type) => hits.Where(h => h.Type == type).Select(h => h.Id).ToList();

    private static HashSet<string> SelectedTypes(SearchRequest request)
    {
        if (request.Type is { } type)
        {
            return type.Split(',').Select(t => t.Trim()).ToHashSet();
        }
        var filtersArticles = request.Section is not null || request.Topic is { Length: > 0 } || request.Author is not null
                              || request.PublishedAfter is not null || request.PublishedBefore is not null;
        return filtersArticles ? ["article"] : [.. SearchValidator.Types];
    }

    /// <summary>Escapes the snippet's text and turns the match markers into &lt;mark&gt; tags.</summary>
    private static string? Highlight(string? snippet) => string.IsNullOrEmpty(snippet)
        ? null
        : WebUtility.HtmlEncode(snippet).Replace(MarkStart, "<mark>", StringComparison.Ordinal).Replace(MarkEnd, "</mark>", StringComparison.Ordinal);
}
