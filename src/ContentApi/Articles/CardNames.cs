using Npgsql;

namespace ContentApi.Articles;

/// <summary>
/// Every author's and topic's slug and name, kept in memory for the cards. A page of cards names some 30 authors and
/// 70 topics; looked up in its statement, each was a primary-key lookup and the names were sorted there, half of the
/// statement's time (by pgbench on the 100k bench database, the page-1 statement ran at 2,150 statements a second with
/// them and 4,200 without). A write to authors or topics moves a counter on in its transaction
/// (the CardNamesStamp migration); each card query reads it, and names older than the query are read again, so a
/// card never shows a name older than its own row, on any replica.
/// </summary>
public sealed class CardNames(NpgsqlDataSource dataSource) : IDisposable
{
    /// <summary>The names as of one value of the counter. A topic's order is its place among all topics by name.</summary>
    public sealed record Snapshot(long Stamp, Dictionary<Guid, AuthorSummary> Authors, Dictionary<Guid, (TopicSummary Topic, int Order)> Topics)
    {
        // An author or topic missing from names as new as the row was deleted since: it is left out.

        /// <summary>These authors, in the order given (a byline's).</summary>
        public List<AuthorSummary> AuthorsOf(Guid[] ids) => ids.Where(Authors.ContainsKey).Select(id => Authors[id]).ToList();

        /// <summary>These topics, by name.</summary>
        public List<TopicSummary> TopicsOf(Guid[] ids) =>
            ids.Where(Topics.ContainsKey).Select(id => Topics[id]).OrderBy(t => t.Order).Select(t => t.Topic).ToList();
    }

    private Snapshot _current = new(0, [], []);
    private readonly SemaphoreSlim _reading = new(1, 1);

    /// <summary>The names as of <paramref name="stamp"/> or later, read again only when those held are older.</summary>
    public async ValueTask<Snapshot> AtLeastAsync(long stamp, CancellationToken ct)
    {
        var held = Volatile.Read(ref _current);
        if (held.Stamp >= stamp)
        {
            return held;
        }
        await _reading.WaitAsync(ct);
        try
        {
            held = Volatile.Read(ref _current);
            if (held.Stamp < stamp)
            {
                held = await ReadAsync(ct);
                Volatile.Write(ref _current, held);
            }
            return held;
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    // The counter first: each statement sees what committed before it started, so the names are at least as new as the
    // counter says. Ordered by name with the database's collation, as the article endpoint orders its topics.
    private async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT stamp FROM card_names_stamp;
            SELECT id, slug, name, avatar_url FROM authors;
            SELECT id, slug, name FROM topics ORDER BY name, id;
            """);
        await using var r = await command.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var stamp = r.GetInt64(0);
        await r.NextResultAsync(ct);
        var authors = new Dictionary<Guid, AuthorSummary>();
        while (await r.ReadAsync(ct))
        {
            authors[r.GetGuid(0)] = new AuthorSummary(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
        }
        await r.NextResultAsync(ct);
        var topics = new Dictionary<Guid, (TopicSummary, int)>();
        while (await r.ReadAsync(ct))
        {
            topics[r.GetGuid(0)] = (new TopicSummary(r.GetString(1), r.GetString(2)), topics.Count);
        }
        return new Snapshot(stamp, authors, topics);
    }
}
