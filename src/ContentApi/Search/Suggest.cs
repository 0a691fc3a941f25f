using System.ComponentModel;
using ContentApi.Articles;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Npgsql;

namespace ContentApi.Search;

public sealed class SuggestRequest
{
    /// <summary>What has been typed so far: 3 to 100 characters, matched anywhere in names and titles, case aside.</summary>
    public string? Q { get; init; }

    /// <summary>Suggestions of each kind (topics, authors, works, articles), 1 to 10 (default 5).</summary>
    [DefaultValue(5)]
    public int? Limit { get; init; }
}

public sealed class SuggestValidator : Validator<SuggestRequest>
{
    public SuggestValidator()
    {
        RuleFor(r => r.Q).NotEmpty().WithMessage("'q' is required: what has been typed so far.");
        RuleFor(r => r.Q).Must(q => q!.Trim().Length is >= Suggest.MinLength and <= 100).When(r => !string.IsNullOrEmpty(r.Q))
            .WithMessage($"'q' must be {Suggest.MinLength} to 100 characters (not counting spaces around it).");
        RuleFor(r => r.Limit).InclusiveBetween(1, 10).When(r => r.Limit is not null)
            .WithMessage("'limit' must be between 1 and 10.");
    }
}

/// <summary>A suggestion for a search box: what it is (topic, author, work or article), its slug and what to show.</summary>
public sealed record Suggestion(string Type, string Slug, string Label);

public sealed class Suggest(DeliveryQueries queries, ContentAudience audience) : Endpoint<SuggestRequest, ListResponse<Suggestion>>
{
    /// <summary>Shorter fragments hold no whole trigram, and would read every title.</summary>
    public const int MinLength = 3;
    /// <summary>How many of the newest articles are looked through first.</summary>
    public const int RecentArticles = 300;

    // Names are matched with LIKE on a trigram index, those where a word starts with the fragment first. Articles
    // come from the newest RecentArticles first; only when those hold too few matches is the whole archive asked,
    // through the trigram index, for some more: a fragment common enough to make that index slow is found among
    // the recent ones. One round trip for all four kinds, and one plan for any fragment: planning this statement
    // took 4.5 ms, longer than running it (EXPLAIN at 100k articles: 1.3-2.4 ms under the generic plan).
    private static readonly string Sql = $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        WITH recent AS MATERIALIZED (
            SELECT id, title, slug, published_at FROM (
                SELECT id, title, slug, published_at FROM articles
                WHERE status IN ('published', 'scheduled') AND published_at <= @now
                ORDER BY published_at DESC, id DESC LIMIT {RecentArticles}) newest
            WHERE lower(title) LIKE @contains),
        matching AS (
            SELECT * FROM recent
            UNION
            (SELECT id, title, slug, published_at FROM articles
             WHERE (SELECT count(*) FROM recent) < @limit
               AND status IN ('published', 'scheduled') AND published_at <= @now AND lower(title) LIKE @contains
             LIMIT 200))
        (SELECT 'topic', slug, name FROM topics WHERE lower(name) LIKE @contains
         ORDER BY {WordStart("name")} DESC, name LIMIT @limit)
        UNION ALL
        (SELECT 'author', slug, name FROM authors WHERE lower(name) LIKE @contains
         ORDER BY {WordStart("name")} DESC, name LIMIT @limit)
        UNION ALL
        (SELECT 'work', slug, title FROM works WHERE lower(title) LIKE @contains
         ORDER BY {WordStart("title")} DESC, title LIMIT @limit)
        UNION ALL
        (SELECT 'article', slug, title FROM matching
         ORDER BY {WordStart("title")} DESC, published_at DESC, id DESC LIMIT @limit)
        """;

    private static string WordStart(string column) => $"(lower({column}) LIKE @starts OR lower({column}) LIKE '% ' || @starts)";

    public override void Configure()
    {
        Get("/v1/search/suggest");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Suggestions for a search box";
            s.Description = "Topics, authors, works and live articles whose name or title contains what has been typed " +
                            $"(at least {MinLength} characters, case aside), up to `limit` of each kind, in that order; within a " +
                            "kind, those with a word starting with it come first (articles then newest first). Articles are " +
                            $"looked for among the newest {RecentArticles} first, and in the whole archive when those hold " +
                            "too few. `page.next` is always null.";
        });
    }

    public override async Task HandleAsync(SuggestRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 5;
        var fragment = EscapeLike(request.Q!.Trim().ToLowerInvariant());
        await using var command = queries.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", audience.Now));
        command.Parameters.Add(new NpgsqlParameter<string>("contains", $"%{fragment}%"));
        command.Parameters.Add(new NpgsqlParameter<string>("starts", $"{fragment}%"));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var suggestions = new List<Suggestion>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                suggestions.Add(new Suggestion(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        await HttpContext.SendJsonAsync(new ListResponse<Suggestion>(suggestions, new PageInfo(limit, null, TotalCount.Exact(suggestions.Count))),
            null, ct);
    }

    /// <summary>Makes % _ and \ in what was typed match themselves.</summary>
    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
