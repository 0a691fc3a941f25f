using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Text;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Npgsql;

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

public sealed class Search(DeliveryQueries queries, ContentAudience audience, WordFrequencies frequencies) : Endpoint<SearchRequest, FacetedListResponse<SearchHit>>
{
    /// <summary>How many matching articles are ranked: the newest ones. Search results end there.</summary>
    public const int RankedMatches = 200;
    /// <summary>How many of the newest articles holding all of a quoted phrase's words are checked for the phrase.</summary>
    public const int PhraseWindow = 1000;

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
                            "there are more of those). A snippet is one passage of up to 35 words of the article's body (an " +
                            "author's bio, a topic's or work's description), starting a few words before the first word that " +
                            "matches the query, every matching form of its words marked.\n\n" +
                            "facets=section,topic,author,year adds counts for a filter sidebar over the articles the results " +
                            "are drawn from: the ranked matches, so facets.isExact follows the same rule as page.totalIsExact.";
        });
    }

    public override async Task HandleAsync(SearchRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var filters = ArticleListFilters.From(request) with { Sort = ArticleSort.Relevance };
        var types = SelectedTypes(request);

        // Every match is fetched with its rank (at most RankedMatches articles, and the matches in the small tables), so
        // that ordering, the cursor and the count all happen here, in one order.
        var (matches, articlesCounted, others, facets) = await MatchesAsync(filters, types, FacetRequest.Parse(request.Facets), ct);
        var total = articlesCounted + (others > Paging.MaxCounted ? new TotalCount(Paging.MaxCounted, false) : TotalCount.Exact(others));

        IEnumerable<Ranked> ordered = matches.OrderByDescending(h => h.Rank).ThenByDescending(h => h.Id);
        if (filters.DecodeCursor(request.Cursor) is { } cursor)
        {
            var rank = float.Parse(cursor.SortValue, CultureInfo.InvariantCulture);
            ordered = ordered.Where(h => h.Rank < rank || (h.Rank == rank && h.Id.CompareTo(cursor.Id) < 0));
        }
        var skip = request.Page is { } page ? (page - 1) * limit : 0;
        var (items, next) = Paging.Trim(ordered.Skip(skip).Take(limit + 1).ToList(), limit,
            h => filters.EncodeCursor(h.Rank.ToString("R", CultureInfo.InvariantCulture), h.Id));

        var (snippets, cards) = await SnippetsAndCardsAsync(items, filters.Q!, ct);
        var hits = items.Select(h => new SearchHit(h.Type, h.Id, h.Slug, h.Title, Highlight(snippets.GetValueOrDefault(h.Id)), h.Rank,
            cards.GetValueOrDefault(h.Id))).ToList();
        Paging.SetLinks(HttpContext, next, request.Page, next is not null);
        await HttpContext.SendJsonAsync(new FacetedListResponse<SearchHit>(hits, new PageInfo(limit, next, total), facets), null, ct);
    }

    /// <summary>A ranked match of any type, before its snippet is made.</summary>
    private sealed record Ranked(string Type, Guid Id, string Slug, string Title, float Rank);

    /// <summary>
    /// Every match, ranked, in one round trip: the newest live articles matching (at most <see cref="RankedMatches"/>)
    /// and how many of them were counted, then every match in the selected small tables (authors, topics, works), and
    /// the facets when asked: counted over every ranked article match, not just this page's (the set the results are
    /// drawn from), from the values the ranking statement read with them.
    /// The statements are written here rather than composed with EF Core: by profile, a fifth of a search request's
    /// CPU went to EF Core turning the composed queries into SQL (its parameter extraction and query cache, mostly
    /// reflection over the full-text functions' attributes).
    /// </summary>
    private async Task<(List<Ranked> Matches, TotalCount Articles, int Others, ArticleFacets? Facets)> MatchesAsync(
        ArticleListFilters filters, HashSet<string> types, FacetRequest? facets, CancellationToken ct)
    {
        var statements = new List<string>();
        if (types.Contains("article"))
        {
            var reading = Narrowed(filters, audience.Preview)
                ? MatchReading.Planned
                : await frequencies.ChooseAsync(filters.Q!, filters.Q!.Contains('"', StringComparison.Ordinal) ? PhraseWindow : RankedMatches, ct);
            statements.Add(ArticleMatchesSql(filters, audience.Preview, facets is not null, reading));
        }
        var tables = new (string Type, string Table, string Title)[] { ("author", "authors", "name"), ("topic", "topics", "name"), ("work", "works", "title") }
            .Where(t => types.Contains(t.Type))
            .Select(t => $"""
                SELECT '{t.Type}', x.id, x.slug, x.{t.Title}, ts_rank(x.search_vector, websearch_to_tsquery('english', @q))
                FROM {t.Table} x WHERE x.search_vector @@ websearch_to_tsquery('english', @q)
                """)
            .ToList();
        if (tables.Count > 0)
        {
            // Small tables: one plan serves any query, where planning anew cost more than running it.
            statements.Add($"-- {DeliveryStatementTimeout.GenericPlanTag}\n" + string.Join("\nUNION ALL\n", tables));
        }
        if (facets is not null)
        {
            // The sections' names, and how new the cards' names of authors and topics must be.
            statements.Add("SELECT id, slug, name, (SELECT stamp FROM card_names_stamp) FROM sections");
        }

        await using var command = queries.CreateCommand(string.Join(";\n", statements));
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter("q", filters.Q!));
        parameters.Add(new NpgsqlParameter("words", filters.Q!.Replace('"', ' ')));
        parameters.Add(new NpgsqlParameter("now", audience.Now));
        parameters.Add(new NpgsqlParameter("section", (object?)filters.Section ?? DBNull.Value));
        parameters.Add(new NpgsqlParameter("author", (object?)filters.Author ?? DBNull.Value));
        parameters.Add(new NpgsqlParameter("after", (object?)filters.PublishedAfter ?? DBNull.Value));
        parameters.Add(new NpgsqlParameter("before", (object?)filters.PublishedBefore ?? DBNull.Value));
        for (var i = 0; i < filters.Topics.Count; i++)
        {
            parameters.Add(new NpgsqlParameter($"topic{i}", filters.Topics[i]));
        }

        var matches = new List<Ranked>();
        var counted = new List<ArticleFacetCounts.Counted>();
        var articles = TotalCount.Exact(0);
        await using var r = await command.ExecuteReaderAsync(ct);
        if (types.Contains("article"))
        {
            var window = 0L;
            while (await r.ReadAsync(ct))
            {
                window = r.GetInt64(4);
                if (r.IsDBNull(0))
                {
                    continue;
                }
                matches.Add(new Ranked("article", r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetFloat(3)));
                if (facets is not null)
                {
                    counted.Add(new ArticleFacetCounts.Counted(r.GetGuid(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6),
                        r.GetFieldValue<Guid[]>(7), r.GetFieldValue<Guid[]>(8)));
                }
            }
            // Exact when the bound was not reached, and for a quoted phrase when its window held every article with its words.
            articles = new TotalCount(matches.Count, matches.Count < RankedMatches && window < PhraseWindow);
            await r.NextResultAsync(ct);
        }
        var others = 0;
        if (tables.Count > 0)
        {
            while (await r.ReadAsync(ct))
            {
                matches.Add(new Ranked(r.GetString(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFloat(4)));
                others++;
            }
            await r.NextResultAsync(ct);
        }
        if (facets is null)
        {
            return (matches, articles, others, null);
        }
        var sections = new Dictionary<Guid, SectionSummary>();
        var stamp = 0L;
        while (await r.ReadAsync(ct))
        {
            sections[r.GetGuid(0)] = new SectionSummary(r.GetString(1), r.GetString(2));
            stamp = r.GetInt64(3);
        }
        var names = await queries.Names.AtLeastAsync(stamp, ct);
        return (matches, articles, others, ArticleFacetCounts.Count(facets, counted, articles.IsExact, names, sections));
    }

    /// <summary>
    /// The newest live articles matching the query (at most <see cref="RankedMatches"/>), each with its rank and, for a
    /// quoted phrase, the size of the window it was found in. Ranking reads each match's whole search vector, so it is
    /// bounded to the newest matches: for a common word they are read walking the published-date index down to the
    /// bound, for a rare one from the GIN index. <see cref="WordFrequencies"/> chooses, and each way has one plan for any
    /// query; with filters or in preview PostgreSQL plans the statement for its words. The GIN index holds no word
    /// positions, so every article holding a phrase's words would have to be read to find the phrase: with common words
    /// that is most of the archive. The phrase is looked for in the newest <see cref="PhraseWindow"/> articles that hold
    /// all its words instead, and ranked in the same pass. Topic and author filters use the article's own copy of its
    /// ids (LinkIdsOnArticles). With <paramref name="withFacets"/>, each match also brings its section, date, topic and
    /// author ids, for the facets to be counted from.
    /// </summary>
    private static string ArticleMatchesSql(ArticleListFilters filters, bool preview, bool withFacets, MatchReading reading)
    {
        if (Narrowed(filters, preview))
        {
            reading = MatchReading.Planned; // the other ways know the visibility rule alone
        }
        var phrase = filters.Q!.Contains('"', StringComparison.Ordinal);
        var window = phrase ? PhraseWindow : RankedMatches;
        // Planned, the query is a constant the planner weighs; in a plan for any query it is worked out once, not per row.
        string Query(string parameter) => reading == MatchReading.Planned
            ? $"websearch_to_tsquery('english', @{parameter})"
            : $"(SELECT websearch_to_tsquery('english', @{parameter}))";
        var matching = phrase ? Query("words") : Query("q");
        var rank = $"ts_rank(a.search_vector, {Query("q")})";

        var conditions = new List<string> { ArticleVisibility.Sql("a", preview) };
        if (filters.Section is not null)
        {
            conditions.Add("a.section_id = (SELECT id FROM sections WHERE slug = @section)");
        }
        conditions.AddRange(filters.Topics.Select((_, i) => $"(SELECT id FROM topics WHERE slug = @topic{i}) = ANY (a.topic_ids)"));
        if (filters.Author is not null)
        {
            conditions.Add("(SELECT id FROM authors WHERE slug = @author) = ANY (a.author_ids)");
        }
        if (filters.PublishedAfter is not null)
        {
            conditions.Add("a.published_at >= @after");
        }
        if (filters.PublishedBefore is not null)
        {
            conditions.Add("a.published_at < @before");
        }
        var (tag, matched, newest) = reading switch
        {
            // The function behind @@ rather than the operator: the GIN index cannot serve it, so the one plan walks by date.
            MatchReading.NewestFirst => (DeliveryStatementTimeout.GenericPlanTag, "",
                $"""
                 FROM articles a
                 WHERE {string.Join("\n  AND ", conditions.Append($"ts_match_vq(a.search_vector, {matching})"))}
                 ORDER BY a.published_at DESC, a.id DESC
                 LIMIT {window}
                 """),
            // Apart, so that the one plan reads the matches from the GIN index alone (with the visibility rule beside it,
            // it took the published-date index too, a third of the archive as it guessed); the page's rows are read again.
            MatchReading.FromSearchIndex => (DeliveryStatementTimeout.GenericPlanTag,
                $"matched AS MATERIALIZED (SELECT id, status, published_at FROM articles WHERE search_vector @@ {matching}),",
                $"""
                 FROM (SELECT m.id FROM matched m WHERE {ArticleVisibility.Sql("m", preview)}
                       ORDER BY m.published_at DESC, m.id DESC LIMIT {window}) AS newest
                 JOIN articles a ON a.id = newest.id
                 ORDER BY a.published_at DESC, a.id DESC
                 """),
            _ => (DeliveryStatementTimeout.CustomPlanTag, "",
                $"""
                 FROM articles a
                 WHERE {string.Join("\n  AND ", conditions.Append($"a.search_vector @@ {matching}"))}
                 ORDER BY a.published_at DESC, a.id DESC
                 LIMIT {window}
                 """),
        };
        // A phrase found nowhere in its window still answers one row, without an id, to tell how full the window was.
        return phrase
            ? $"""
               -- {tag}
               WITH {matched} holding_the_words AS MATERIALIZED (
                   SELECT a.id, a.slug, a.title, a.published_at{(withFacets ? ", a.section_id, a.topic_ids, a.author_ids" : "")},
                          CASE WHEN ts_match_vq(a.search_vector, {Query("q")}) THEN {rank} END AS rank
                   {newest})
               SELECT found.id, found.slug, found.title, found.rank, (SELECT count(*) FROM holding_the_words)
                      {(withFacets ? ", found.section_id, found.published_at, found.topic_ids, found.author_ids" : "")}
               FROM (SELECT 1) AS one
               LEFT JOIN LATERAL (
                   SELECT * FROM holding_the_words WHERE rank IS NOT NULL
                   ORDER BY published_at DESC, id DESC LIMIT {RankedMatches}) AS found ON true
               """
            : $"""
               -- {tag}
               {(matched == "" ? "" : $"WITH {matched.TrimEnd(',')}")}
               SELECT a.id, a.slug, a.title, {rank}, 0::bigint{(withFacets ? ", a.section_id, a.published_at, a.topic_ids, a.author_ids" : "")}
               {newest}
               """;
    }

    /// <summary>
    /// Whether filters or preview change which articles a walk by date passes over before it finds its matches: then
    /// PostgreSQL plans the statement, weighing them with the words.
    /// </summary>
    private static bool Narrowed(ArticleListFilters filters, bool preview) =>
        preview || filters.Section is not null || filters.Topics.Count > 0 || filters.Author is not null
        || filters.PublishedAfter is not null || filters.PublishedBefore is not null;

    /// <summary>
    /// The snippets of the page's hits and the cards of its articles, in one round trip. The database sends each hit's
    /// text whole and the query's stems; the passage is found and marked here (see <see cref="Snippets"/>). Finding it
    /// in the database cost more than sending the text: a body is read out of line and decompressed for each function
    /// given it, and lowering it to find the stem cost as much again (pgbench, 20 bodies of 5.6 kB: 3.1-3.4 ms with the
    /// body read once, 4.9-5.2 ms as written before, 0.6-0.9 ms to send them whole).
    /// </summary>
    private async Task<(Dictionary<Guid, string?> Snippets, Dictionary<Guid, ArticleCard> Cards)> SnippetsAndCardsAsync(
        List<Ranked> items, string q, CancellationToken ct)
    {
        var snippets = new Dictionary<Guid, string?>();
        var cards = new Dictionary<Guid, ArticleCard>();
        if (items.Count == 0)
        {
            return (snippets, cards);
        }
        var articleIds = IdsOf(items, "article");
        // The cards' statement first: a command's first statement says how it is planned (see its tag), and one plan
        // for any ids suits the texts too.
        var sql = new StringBuilder();
        if (articleIds.Length > 0)
        {
            sql.Append(ArticleCards.Sql("SELECT * FROM unnest(@article) WITH ORDINALITY")).Append(";\n");
        }
        sql.Append("""
            WITH query AS (SELECT querytree(websearch_to_tsquery('english', @q)) AS tree)
            SELECT a.id, a.body_text, query.tree FROM query, articles a WHERE a.id = ANY (@article)
            UNION ALL SELECT x.id, x.bio, query.tree FROM query, authors x WHERE x.id = ANY (@author)
            UNION ALL SELECT x.id, x.description, query.tree FROM query, topics x WHERE x.id = ANY (@topic)
            UNION ALL SELECT x.id, x.description, query.tree FROM query, works x WHERE x.id = ANY (@work)
            """);
        await using var command = queries.CreateCommand(sql.ToString());
        command.Parameters.Add(new NpgsqlParameter("q", q));
        foreach (var type in SearchValidator.Types)
        {
            command.Parameters.Add(new NpgsqlParameter(type, IdsOf(items, type)));
        }
        await using var r = await command.ExecuteReaderAsync(ct);
        if (articleIds.Length > 0)
        {
            cards = (await ArticleCards.ReadAsync(r, queries.Names, ct)).ToDictionary(c => c.Id);
            await r.NextResultAsync(ct);
        }
        HashSet<string>? stems = null;
        while (await r.ReadAsync(ct))
        {
            stems ??= Snippets.StemsOf(r.GetString(2));
            snippets[r.GetGuid(0)] = r.IsDBNull(1) ? null : Snippets.Make(r.GetString(1), stems);
        }
        return (snippets, cards);
    }

    private static Guid[] IdsOf(IEnumerable<Ranked> hits, string type) => hits.Where(h => h.Type == type).Select(h => h.Id).ToArray();

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
        : WebUtility.HtmlEncode(snippet).Replace(Snippets.MarkStart.ToString(), "<mark>", StringComparison.Ordinal)
            .Replace(Snippets.MarkEnd.ToString(), "</mark>", StringComparison.Ordinal);
}
