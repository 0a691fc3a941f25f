using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace ContentApi.Search;

public sealed class SearchRequest : FacetedArticleListRequest
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
        Include(new FacetRules());
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

public sealed class Search(ContentDb db, DeliveryQueries queries, ContentAudience audience) : Endpoint<SearchRequest, FacetedListResponse<SearchHit>>
{
    // Control characters cannot occur in stored text, so they mark matches safely until the text is escaped.
    private const string MarkStart = "\u0002";
    private const string MarkEnd = "\u0003";
    /// <summary>How many matching articles are ranked: the newest ones. Search results end there.</summary>
    public const int RankedMatches = 200;
    /// <summary>How many of the newest articles holding all of a quoted phrase's words are checked for the phrase.</summary>
    public const int PhraseWindow = 1000;
    private const string HeadlineOptions = "StartSel=\u0002, StopSel=\u0003, MaxWords=35, MinWords=12";

    public override void Configure()
    {
        Get("/v1/search");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Search articles, authors, topics and works";
            s.Description = "PostgreSQL full-text search with English stemming and web search syntax: words, \"quoted phrases\", " +
                            "or, -excluded. Titles weigh more than deks, deks more than bodies. Results are ranked, carry a " +
                            "highlighted snippet, and combine with the article filters of /v1/articles.\n\n" +
                            $"Relevance ranks the newest {RankedMatches} matching articles, not the whole archive: a word found " +
                            $"in fewer articles is ranked over all of them, a common word over its {RankedMatches} most recent. " +
                            "The results end there, so `page.total` counts those articles plus the matching authors, topics " +
                            "and works, and `page.totalIsExact` is false when more articles match. A quoted phrase is looked " +
                            $"for in the newest {PhraseWindow} articles that hold all of its words (totalIsExact is false when " +
                            "there are more of those). Article snippets are one passage of up to 35 words from around the " +
                            "first occurrence of the query's first word in the body.\n\n" +
                            "facets=section,topic,author,year adds counts for a filter sidebar over the articles the results " +
                            "are drawn from: the ranked matches, so facets.isExact follows the same rule as page.totalIsExact.";
        });
    }

    public override async Task HandleAsync(SearchRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var filters = ArticleListFilters.From(request) with { Sort = ArticleSort.Relevance };
        var q = filters.Q!;
        var types = SelectedTypes(request);

        // Every match is fetched with its rank (at most RankedMatches articles, and the matches in the small tables), so
        // that ordering, the cursor and the count all happen here, in one order.
        var matches = new List<Ranked>();
        var total = TotalCount.Exact(0);
        var articlesCounted = TotalCount.Exact(0);
        if (types.Contains("article"))
        {
            var (articles, counted) = await NewestArticleMatchesAsync(filters, q, ct);
            matches.AddRange(articles);
            total += counted;
            articlesCounted = counted;
        }
        var others = await SmallTableMatchesAsync(types, q, ct);
        matches.AddRange(others);
        total += others.Count > Paging.MaxCounted ? new TotalCount(Paging.MaxCounted, false) : TotalCount.Exact(others.Count);

        IEnumerable<Ranked> ordered = matches.OrderByDescending(h => h.Rank).ThenByDescending(h => h.Id);
        if (filters.DecodeCursor(request.Cursor) is { } cursor)
        {
            var rank = float.Parse(cursor.SortValue, CultureInfo.InvariantCulture);
            ordered = ordered.Where(h => h.Rank < rank || (h.Rank == rank && h.Id.CompareTo(cursor.Id) < 0));
        }
        var skip = request.Page is { } page ? (page - 1) * limit : 0;
        var (items, next) = Paging.Trim(ordered.Skip(skip).Take(limit + 1).ToList(), limit,
            h => filters.EncodeCursor(h.Rank.ToString("R", CultureInfo.InvariantCulture), h.Id));

        // Headlines re-read and re-parse each text, which costs far more than ranking: only the hits returned get one.
        var snippets = new Dictionary<Guid, string?>();
        var cards = new Dictionary<Guid, ArticleCard>();
        var articleIds = IdsOf(items, "article");
        if (articleIds.Count > 0)
        {
            foreach (var a in await ArticleSnippetsAsync(articleIds, q, ct))
            {
                snippets[a.Id] = a.Snippet;
            }
            cards = (await ArticleCards.ReadAsync(queries, articleIds, ct)).ToDictionary(c => c.Id);
        }
        await HeadlinesAsync(db.Authors, nameof(Author.Bio), IdsOf(items, "author"), q, snippets, ct);
        await HeadlinesAsync(db.Topics, nameof(Topic.Description), IdsOf(items, "topic"), q, snippets, ct);
        await HeadlinesAsync(db.Works, nameof(Work.Description), IdsOf(items, "work"), q, snippets, ct);

        var hits = items.Select(h => new SearchHit(h.Type, h.Id, h.Slug, h.Title, Highlight(snippets.GetValueOrDefault(h.Id)), h.Rank,
            cards.GetValueOrDefault(h.Id))).ToList();
        ArticleFacets? facets = null;
        if (FacetRequest.Parse(request.Facets) is { } asked)
        {
            // Counted over every ranked article match, not just this page's: the set the results are drawn from.
            var ranked = matches.Where(m => m.Type == "article").Select(m => m.Id).ToList();
            facets = await ArticleFacetCounts.CountAsync(queries, asked, ranked, articlesCounted.IsExact, ct);
        }
        Paging.SetLinks(HttpContext, next, request.Page, next is not null);
        await HttpContext.SendJsonAsync(new FacetedListResponse<SearchHit>(hits, new PageInfo(limit, next, total), facets), null, ct);
    }

    /// <summary>A ranked match of any type, before its snippet is made.</summary>
    private sealed record Ranked(string Type, Guid Id, string Slug, string Title, float Rank);

    /// <summary>
    /// A small table's match. Built with an initializer, not a constructor, so that EF can put the tables in one UNION ALL.
    /// </summary>
    private sealed class Row
    {
        public string Type { get; init; } = "";
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public float Rank { get; init; }
    }

    /// <summary>
    /// The newest live articles matching <paramref name="q"/> (at most <see cref="RankedMatches"/>) with their ranks, and
    /// how many there are. Ranking reads each match's whole search vector, so it is bounded to the newest matches: for a
    /// common word PostgreSQL walks the published-date index and stops at the bound, for a rare one it reads the few
    /// matches from the GIN index.
    /// </summary>
    private async Task<(List<Ranked> Matches, TotalCount Total)> NewestArticleMatchesAsync(ArticleListFilters filters, string q, CancellationToken ct)
    {
        var live = db.Articles.AsNoTracking().Live(audience);
        if (!q.Contains('"', StringComparison.Ordinal))
        {
            var matches = await ArticleList.Filter(live, filters)
                .TagWith(DeliveryStatementTimeout.CustomPlanTag)
                .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
                .Take(RankedMatches)
                .Select(a => new Ranked("article", a.Id, a.Slug, a.Title, a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q))))
                .ToListAsync(ct);
            return (matches, new TotalCount(matches.Count, matches.Count < RankedMatches));
        }

        // The GIN index holds no word positions, so every article holding a phrase's words must be read to find the
        // phrase: with common words that is most of the archive. The phrase is looked for in the newest articles that
        // hold all its words instead.
        var window = await ArticleList.Filter(live, filters with { Q = q.Replace('"', ' ') })
            .TagWith(DeliveryStatementTimeout.CustomPlanTag)
            .OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id)
            .Take(PhraseWindow)
            .Select(a => new { a.Id, HasPhrase = a.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", q)) })
            .ToListAsync(ct);
        var ids = window.Where(a => a.HasPhrase).Take(RankedMatches).Select(a => a.Id).ToList();
        var ranked = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new Ranked("article", a.Id, a.Slug, a.Title, a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q))))
            .ToListAsync(ct);
        return (ranked, new TotalCount(ranked.Count, window.Count < PhraseWindow && ranked.Count < RankedMatches));
    }

    /// <summary>Every match in the selected small tables (authors, topics, works), ranked, in one query.</summary>
    private async Task<List<Ranked>> SmallTableMatchesAsync(HashSet<string> types, string q, CancellationToken ct)
    {
        IQueryable<Row>? rows = null;
        foreach (var (type, table) in new (string, IQueryable<Row>)[]
                 {
                     ("author", MatchesIn(db.Authors, "author", nameof(Author.Name), q)),
                     ("topic", MatchesIn(db.Topics, "topic", nameof(Topic.Name), q)),
                     ("work", MatchesIn(db.Works, "work", nameof(Work.Title), q)),
                 })
        {
            if (types.Contains(type))
            {
                rows = rows is null ? table : rows.Concat(table);
            }
        }
        return rows is null
            ? []
            : (await rows.ToListAsync(ct)).Select(r => new Ranked(r.Type, r.Id, r.Slug, r.Title, r.Rank)).ToList();
    }

    private static IQueryable<Row> MatchesIn<TEntity>(IQueryable<TEntity> table, string type, string titleColumn, string q)
        where TEntity : class =>
        table.AsNoTracking()
            .Where(e => EF.Property<NpgsqlTsVector>(e, "SearchVector").Matches(EF.Functions.WebSearchToTsQuery("english", q)))
            .Select(e => new Row
            {
                Type = type,
                Id = EF.Property<Guid>(e, "Id"),
                Slug = EF.Property<string>(e, "Slug"),
                Title = EF.Property<string>(e, titleColumn),
                Rank = EF.Property<NpgsqlTsVector>(e, "SearchVector").Rank(EF.Functions.WebSearchToTsQuery("english", q)),
            });

    private sealed record ArticleSnippet(Guid Id, string? Snippet);

    /// <summary>
    /// The headline of each article's body. A headline parses all of the text it is given, which for a whole body costs
    /// milliseconds per hit; it is given the 800 characters from just before the first place the query's first word (its
    /// stem, in lower case) occurs, or the body's start when it does not occur as such. (The stem may first occur inside
    /// another word, "Venezuelan" for venezuela: 800 characters leave room to reach a true match.) The body is lowered
    /// under the C collation, which folds ASCII letters only: folding every letter cost a third of the statement
    /// (EXPLAIN over 200 bodies of 5.6 kB: 58-63 ms, 35-44 ms under C), and a word that starts with an accented capital
    /// is then found at its next lower-case use, or the passage starts at the top.
    /// </summary>
    private Task<List<ArticleSnippet>> ArticleSnippetsAsync(List<Guid> ids, string q, CancellationToken ct) =>
        db.Database.SqlQuery<ArticleSnippet>($"""
            SELECT a.id AS "Id",
                   ts_headline(substr(a.body_text, greatest(1, strpos(lower(a.body_text COLLATE "C"), first_word.stem) - 150), 800),
                               query, {HeadlineOptions}) AS "Snippet"
            FROM websearch_to_tsquery('english', {q}) AS query
            CROSS JOIN LATERAL (SELECT coalesce(substring(querytree(query) FROM '''((?:[^'']|'''')+)'''), '') AS stem) AS first_word
            CROSS JOIN articles AS a
            WHERE a.id = ANY ({ids})
            """).ToListAsync(ct);

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
