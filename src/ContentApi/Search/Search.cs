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
        var take = skip + limit + 1; // every type could supply the whole page, so each is asked for all of it

        var hits = new List<SearchHit>();
        var total = 0;
        
        if (types.Contains("article"))
        {
            var articles = ArticleList.Filter(db.Articles.AsNoTracking().Live(audience), filters);
            total += await articles.CountAsync(ct);
            var ranked = articles.Select(a => new
            {
                a.Id, a.Slug, a.Title,
                Rank = a.SearchVector.Rank(EF.Functions.WebSearchToTsQuery("english", q)),
                Snippet = EF.Functions.WebSearchToTsQuery("english", q).GetResultHeadline(a.BodyText, HeadlineOptions),
            });
            if (cursor is { } c)
            {
                var rank = float.Parse(c.SortValue, CultureInfo.InvariantCulture);
                ranked = ranked.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Rank, r.Id), ValueTuple.Create(rank, c.Id)));
            }
            var rows = await ranked.OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToList();
            var cards = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(ArticleCards.Projection).ToDictionaryAsync(a => a.Id, ct);
            hits.AddRange(rows.Select(r => new SearchHit("article", r.Id, r.Slug, r.Title, Highlight(r.Snippet), r.Rank, cards[r.Id])));
        }
        var others = new List<(int Count, IEnumerable<SearchHit> Hits)>();
        if (types.Contains("author"))
        {
            others.Add(await SearchTableAsync(db.Authors, "author", nameof(Author.Name), nameof(Author.Bio), q, cursor, take, ct));
        }
        if (types.Contains("topic"))
        {
            others.Add(await SearchTableAsync(db.Topics, "topic", nameof(Topic.Name), nameof(Topic.Description), q, cursor, take, ct));
        }
        if (types.Contains("work"))
        {
            others.Add(await SearchTableAsync(db.Works, "work", nameof(Work.Title), nameof(Work.Description), q, cursor, take, ct));
        }
        total += others.Sum(o => o.Count);
        hits.AddRange(others.SelectMany(o => o.Hits));

        var merged = hits.OrderByDescending(h => h.Rank).ThenByDescending(h => h.Id).Skip(skip).Take(limit + 1).ToList();
        var (items, next) = Paging.Trim(merged, limit, h => filters.EncodeCursor(h.Rank.ToString("R", CultureInfo.InvariantCulture), h.Id));
        Paging.SetLinks(HttpContext, next, request.Page, next is not null);
        await HttpContext.SendJsonAsync(new ListResponse<SearchHit>(items, new PageInfo(limit, next, total)), null, ct);
    }

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public float Rank { get; init; }
        public string Snippet { get; init; } = "";
    }

    /// <summary>
    /// Searches one of the small tables (authors, topics, works) through its stored search vector: the match count,
    /// and the best <paramref name="take"/> hits after the cursor.
    /// </summary>
    private static async Task<(int Count, IEnumerable<SearchHit> Hits)> SearchTableAsync<TEntity>(IQueryable<TEntity> table,
        string type, string titleColumn, string textColumn, string q, (string SortValue, Guid Id)? cursor, int take, CancellationToken ct)
        where TEntity : class
    {
        var matching = table.AsNoTracking().Where(e =>
            EF.Property<NpgsqlTsVector>(e, "SearchVector").Matches(EF.Functions.WebSearchToTsQuery("english", q)));
        var count = await matching.CountAsync(ct);
        var rows = matching.Select(e => new Row
        {
            Id = EF.Property<Guid>(e, "Id"),
            Slug = EF.Property<string>(e, "Slug"),
            Title = EF.Property<string>(e, titleColumn),
            Rank = EF.Property<NpgsqlTsVector>(e, "SearchVector").Rank(EF.Functions.WebSearchToTsQuery("english", q)),
            Snippet = EF.Functions.WebSearchToTsQuery("english", q).GetResultHeadline(EF.Property<string?>(e, textColumn) ?? "", HeadlineOptions),
        });
        if (cursor is { } c)
        {
            var rank = float.Parse(c.SortValue, CultureInfo.InvariantCulture);
            rows = rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.Rank, r.Id), ValueTuple.Create(rank, c.Id)));
        }
        var found = await rows.OrderByDescending(r => r.Rank).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
        return (count, found.Select(r => new SearchHit(type, r.Id, r.Slug, r.Title, Highlight(r.Snippet), r.Rank, null)));
    }

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
