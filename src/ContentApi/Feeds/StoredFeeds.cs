using ContentApi.Articles;
using ContentApi.Database;
using ContentApi.Http;
using Microsoft.Extensions.Caching.Memory;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Feeds;

/// <summary>What a feed is drawn from: every article, or one section's, topic's or author's.</summary>
public sealed record FeedScope(string Kind, Guid Key)
{
    public static readonly FeedScope All = new("all", Guid.Empty);
}

/// <summary>
/// A feed that was not served from its stored rendering: its own address, its key, and the names' counter read before
/// anything else.
/// </summary>
public sealed record FeedMiss(string SelfUrl, string Key, long NamesGeneration, bool Store);

/// <summary>
/// Feeds kept as rendered, in the database (migration <c>StoredFeeds</c>). A feed is 50 whole articles: rendering one
/// read some 340 kB of bodies from TOAST and wrote them out again, 6-7 ms of CPU against about 1.4 ms for an article.
/// Kept in the database, a rendering serves every instance and replica and outlives a restart. It is current while
/// the counters it read before its articles are unchanged (every write that may change the feed moves one, in its own
/// transaction) and its time has not passed (the next scheduled article goes live then): a stale rendering is never
/// served, and one that lost a race is only rendered again.
/// <para>
/// Each process also keeps the renderings it last sent, up to <see cref="KeptBytes"/>, and asks the database only
/// whether their counters moved: moving 340 kB out of PostgreSQL for every request cost more than half of the time
/// of answering from it (as <see cref="Articles.CardNames"/> keeps names and reads their counter).
/// </para>
/// </summary>
public sealed class StoredFeeds(DeliveryQueries queries, NpgsqlDataSource primary, ILogger<StoredFeeds> logger) : IDisposable
{
    public const long KeptBytes = 64L * 1024 * 1024;

    /// <summary>The names' counter now: a stored rendering whose own differs was made before a rename.</summary>
    internal const string NamesSql = """
        (SELECT stamp FROM card_names_stamp)
            + coalesce((SELECT generation FROM feed_generations WHERE kind = 'names' AND key = '00000000-0000-0000-0000-000000000000'), 0)
        """;

    /// <summary>The counter now of the scope of the rendering <c>r</c>.</summary>
    internal const string RenderingScopeSql =
        "coalesce((SELECT g.generation FROM feed_generations g WHERE g.kind = r.scope_kind AND g.key = r.scope_key), 0)";

    private const string ScopeGenerationSql = "coalesce((SELECT generation FROM feed_generations WHERE kind = @kind AND key = @scope), 0)";

    private const string CountersSql = $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT {NamesSql}, {ScopeGenerationSql}
        """;

    private const string LookupSql = $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT names.generation, r.scope_kind, r.scope_key, r.scope_generation, r.valid_until, r.last_modified, r.body
        FROM (SELECT {NamesSql} AS generation) names
        LEFT JOIN feed_renderings r ON r.key = @key AND r.names_generation = names.generation
            AND r.scope_generation = {RenderingScopeSql}
            AND (r.valid_until IS NULL OR r.valid_until > @now)
        """;

    // Read after the scope is known and before its articles. The rendering is good until the next article whose
    // time is still to come goes live (a scheduled one; no write marks that moment).
    private const string ScopeSql = $"""
        SELECT {ScopeGenerationSql},
               (SELECT min(published_at) FROM articles WHERE status IN ('published', 'scheduled') AND published_at > @now)
        """;

    private const string SaveSql = """
        INSERT INTO feed_renderings AS r (key, scope_kind, scope_key, scope_generation, names_generation, valid_until, last_modified, body)
        VALUES (@key, @kind, @scope, @scope_generation, @names_generation, @valid_until, @last_modified, @body)
        ON CONFLICT (key) DO UPDATE SET scope_kind = excluded.scope_kind, scope_key = excluded.scope_key,
            scope_generation = excluded.scope_generation, names_generation = excluded.names_generation,
            valid_until = excluded.valid_until, last_modified = excluded.last_modified, body = excluded.body, rendered_at = now()
        WHERE r.scope_generation <= excluded.scope_generation AND r.names_generation <= excluded.names_generation
        """;

    /// <summary>A rendering as this process keeps it.</summary>
    private sealed record Kept(FeedScope Scope, long ScopeGeneration, long NamesGeneration, DateTimeOffset? ValidUntil,
        DateTimeOffset? LastModified, byte[] Body);

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = KeptBytes });

    /// <summary>
    /// Sends this request's feed from its current rendering, and returns null; otherwise returns what a new rendering
    /// must record. A preview sees drafts: it is neither served from nor stored. The feed is known by its path as the
    /// API writes it (<paramref name="path"/>), not as asked: routes match their fixed words in any case, and each
    /// spelling of an address would otherwise be a rendering of its own.
    /// </summary>
    public async Task<FeedMiss?> TrySendAsync(HttpContext http, ContentAudience audience, SiteOptions site, string path, string format,
        CancellationToken ct)
    {
        // The name and addresses of the site are in the feed: a rendering made under other settings is another key.
        var selfUrl = site.ApiUrl(path);
        var key = $"{site.Name}\n{site.BaseUrl}\n{selfUrl}";
        if (audience.Preview)
        {
            return new FeedMiss(selfUrl, key, 0, Store: false);
        }
        if (_kept.TryGetValue(key, out Kept? kept) && (kept!.ValidUntil is null || kept.ValidUntil > audience.Now)
            && await IsCurrentAsync(kept, ct))
        {
            await SendAsync(http, format, kept, ct);
            return null;
        }
        var (found, names) = await ReadAsync(key, audience.Now, ct);
        if (found is null)
        {
            return new FeedMiss(selfUrl, key, names, Store: true);
        }
        Keep(key, found);
        await SendAsync(http, format, found, ct);
        return null;
    }

    private async Task<bool> IsCurrentAsync(Kept kept, CancellationToken ct)
    {
        await using var command = queries.CreateCommand(CountersSql);
        command.Parameters.Add(new NpgsqlParameter("kind", kept.Scope.Kind));
        command.Parameters.Add(new NpgsqlParameter("scope", kept.Scope.Key));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0) == kept.NamesGeneration && reader.GetInt64(1) == kept.ScopeGeneration;
    }

    /// <summary>The current rendering stored under <paramref name="key"/>, if any, and the names' counter.</summary>
    private async Task<(Kept? Found, long Names)> ReadAsync(string key, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = queries.CreateCommand(LookupSql);
        command.Parameters.Add(new NpgsqlParameter("key", key));
        command.Parameters.Add(new NpgsqlParameter("now", now));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var names = reader.GetInt64(0);
        if (reader.IsDBNull(1))
        {
            return (null, names);
        }
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        return (new Kept(new FeedScope(reader.GetString(1), reader.GetGuid(2)), reader.GetInt64(3), names, Time(4), Time(5),
            reader.GetFieldValue<byte[]>(6)), names);
    }

    private void Keep(string key, Kept kept) =>
        _kept.Set(key, kept, new MemoryCacheEntryOptions { Size = kept.Body.Length + key.Length * 2 });

    private static Task SendAsync(HttpContext http, string format, Kept kept, CancellationToken ct) =>
        http.SendBytesAsync(kept.Body, FeedDocument.ContentType(format), kept.LastModified, ct);

    /// <summary>The scope's counter and the time until which a rendering of it holds, read before its articles.</summary>
    public async Task<(long Generation, DateTimeOffset? ValidUntil)> ScopeAsync(FeedScope scope, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = queries.CreateCommand(ScopeSql);
        command.Parameters.Add(new NpgsqlParameter("kind", scope.Kind));
        command.Parameters.Add(new NpgsqlParameter("scope", scope.Key));
        command.Parameters.Add(new NpgsqlParameter("now", now));
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>
    /// Keeps a new rendering, here and on the primary. A failure to store it costs the next reader a rendering, not
    /// this one its answer, which has been sent: it is logged, not thrown.
    /// </summary>
    public async Task SaveAsync(FeedMiss miss, FeedScope scope, (long Generation, DateTimeOffset? ValidUntil) read,
        ReadOnlyMemory<byte> body, DateTimeOffset? lastModified, CancellationToken ct)
    {
        var kept = new Kept(scope, read.Generation, miss.NamesGeneration, read.ValidUntil, lastModified, body.ToArray());
        Keep(miss.Key, kept);
        try
        {
            await using var command = primary.CreateCommand(SaveSql);
            command.Parameters.Add(new NpgsqlParameter("key", miss.Key));
            command.Parameters.Add(new NpgsqlParameter("kind", scope.Kind));
            command.Parameters.Add(new NpgsqlParameter("scope", scope.Key));
            command.Parameters.Add(new NpgsqlParameter("scope_generation", read.Generation));
            command.Parameters.Add(new NpgsqlParameter("names_generation", miss.NamesGeneration));
            command.Parameters.Add(new NpgsqlParameter("valid_until", NpgsqlDbType.TimestampTz) { Value = (object?)read.ValidUntil ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("last_modified", NpgsqlDbType.TimestampTz) { Value = (object?)lastModified ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = kept.Body });
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not store the rendering of a feed; the next request without it renders it again.");
        }
    }

    public void Dispose() => _kept.Dispose();
}
