using System.Collections.Frozen;
using Npgsql;

namespace ContentApi.Search;

/// <summary>How search reads the newest articles matching a query.</summary>
public enum MatchReading
{
    /// <summary>PostgreSQL plans the statement for this query's words (when the words' shares are not known, or filters narrow the search).</summary>
    Planned,
    /// <summary>Down the published-date index, newest first, until enough articles match: for common words.</summary>
    NewestFirst,
    /// <summary>Every match from the search index, then the newest of them: for rare words.</summary>
    FromSearchIndex,
}

/// <summary>
/// In how many articles each word occurs, as PostgreSQL's statistics of the articles' search column say (the 10,000
/// commonest words: the SearchStatistics migration), so that search can choose how to read a query's matches itself.
/// Left to the planner, every search statement was planned for its words, and the planner unpacks those 10,000 words
/// each time: 0.7-1.2 ms of planning against 0.1-0.5 ms of running the statement for a common or a rare word (bench
/// database, 100k articles, one client). Chosen here, each way has one plan for every query. The figures are read
/// again when ten minutes old; a wrong choice costs time, never results.
/// </summary>
public sealed class WordFrequencies(NpgsqlDataSource dataSource, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The english configuration's stop words: they are never indexed, so they neither narrow nor widen a search.
    /// A test checks this list against PostgreSQL's.
    /// </summary>
    public static readonly FrozenSet<string> StopWords = FrozenSet.Create(StringComparer.Ordinal,
        "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself", "yourselves", "he",
        "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs",
        "themselves", "what", "which", "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
        "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if",
        "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between", "into",
        "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
        "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both",
        "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than",
        "too", "very", "s", "t", "can", "will", "just", "don", "should", "now");

    /// <summary>The statistics as read: the articles counted, each tracked word's share, and the share assumed for any other word.</summary>
    private sealed record Statistics(DateTimeOffset ReadAt, double Articles, Dictionary<string, double> Shares, double Untracked);

    private Statistics? _current;
    private readonly SemaphoreSlim _reading = new(1, 1);

    /// <summary>
    /// How to read the newest <paramref name="wanted"/> live articles matching <paramref name="q"/> (web search syntax).
    /// Walking the date index reads about wanted ÷ share articles; the search index reads every match, share × articles.
    /// The smaller wins, as the planner would have it.
    /// </summary>
    public async ValueTask<MatchReading> ChooseAsync(string q, int wanted, CancellationToken ct)
    {
        var statistics = await CurrentAsync(ct);
        if (statistics is null)
        {
            return MatchReading.Planned;
        }
        var share = ShareMatching(q, statistics);
        return share > 0 && wanted / share < share * statistics.Articles ? MatchReading.NewestFirst : MatchReading.FromSearchIndex;
    }

    /// <summary>Reads the statistics now (after an ANALYZE, say), rather than when the ones held are ten minutes old.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _reading.WaitAsync(ct);
        try
        {
            Volatile.Write(ref _current, await ReadAsync(ct));
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    // One request reads them again; the others go on with those held meanwhile.
    private async ValueTask<Statistics?> CurrentAsync(CancellationToken ct)
    {
        var held = Volatile.Read(ref _current);
        if (held is not null && clock.GetUtcNow() - held.ReadAt < Lifetime)
        {
            return held.Shares.Count > 0 ? held : null;
        }
        if (held is not null && !await _reading.WaitAsync(0, ct))
        {
            return held.Shares.Count > 0 ? held : null;
        }
        if (held is null)
        {
            await _reading.WaitAsync(ct);
        }
        try
        {
            held = Volatile.Read(ref _current);
            if (held is null || clock.GetUtcNow() - held.ReadAt >= Lifetime)
            {
                held = await ReadAsync(ct);
                Volatile.Write(ref _current, held);
            }
            return held.Shares.Count > 0 ? held : null;
        }
        finally
        {
            _reading.Release();
        }
    }

    // The shares are of all articles, drafts included, as the statistics count them. Before the table is first
    // analyzed there are none, and the planner decides.
    private async Task<Statistics> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass), s.most_common_elems::text::text[], s.most_common_elem_freqs
            FROM (SELECT 1) AS one
            LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'articles' AND s.attname = 'search_vector'
            """);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var articles = r.GetFloat(0);
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        var untracked = 0.0;
        if (articles > 0 && !r.IsDBNull(1))
        {
            var words = r.GetFieldValue<string[]>(1);
            var frequencies = r.GetFieldValue<float[]>(2);
            for (var i = 0; i < words.Length; i++)
            {
                shares[words[i]] = frequencies[i];
            }
            // After the words' own come the least and the greatest of them; a word not tracked is taken to be in half as
            // many articles as the least common one tracked, but no more than half a percent (PostgreSQL's own rule).
            untracked = Math.Min(0.005, frequencies[words.Length]) / 2;
        }
        return new Statistics(clock.GetUtcNow(), articles, shares, untracked);
    }

    /// <summary>
    /// The share of articles matching a web search query, estimated as PostgreSQL estimates it: words independent of
    /// each other, so <c>a b</c> (and a quoted phrase's words) matches the product of their shares, <c>a or b</c> the
    /// sum less the product, <c>-a</c> one less a's share. 0 for a query of stop words only, which matches nothing.
    /// </summary>
    private static double ShareMatching(string q, Statistics statistics)
    {
        var anyOf = 0.0; // the alternatives closed so far
        var allOf = 1.0; // the current alternative
        var terms = 0;
        var negated = false;
        for (var i = 0; i < q.Length;)
        {
            var c = q[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (c == '-')
            {
                negated = true;
                i++;
                continue;
            }
            var quoted = c == '"';
            var start = quoted ? i + 1 : i;
            var end = quoted ? q.IndexOf('"', start) : q.IndexOfAny([' ', '\t', '\n', '\r', '"'], start);
            end = end < 0 ? q.Length : end;
            var term = q.AsSpan(start, end - start);
            i = quoted ? end + 1 : end;
            if (!quoted && terms > 0 && term.Equals("or", StringComparison.OrdinalIgnoreCase))
            {
                anyOf += allOf - anyOf * allOf;
                allOf = 1.0;
                terms = 0;
                continue;
            }
            if (ShareHolding(term, statistics) is { } share)
            {
                allOf *= negated ? 1 - share : share;
                terms++;
            }
            negated = false;
        }
        return terms > 0 ? anyOf + allOf - anyOf * allOf : anyOf;
    }

    /// <summary>The share of articles holding every word of a term, or null when all its words are stop words.</summary>
    private static double? ShareHolding(ReadOnlySpan<char> term, Statistics statistics)
    {
        double? share = null;
        foreach (var (start, end) in new WordRuns(term))
        {
            var lexeme = Snippets.LexemeOf(term[start..end]);
            if (lexeme.Length > 0) // not a stop word
            {
                share = (share ?? 1.0) * statistics.Shares.GetValueOrDefault(lexeme, statistics.Untracked);
            }
        }
        return share;
    }
}
