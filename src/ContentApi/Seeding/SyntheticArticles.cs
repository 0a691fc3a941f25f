using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ContentApi.Content;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Seeding;

/// <summary>
/// Generates published articles for benchmarks: about 600-word bodies with subheadings, 2-5 topics, 1-2 authors,
/// spread over the seeded sections. Rows go in through PostgreSQL's binary COPY on two connections at once, while
/// the next batches are rendered: computing the search vectors is most of the work, and that way both cores do it.
/// </summary>
public static class SyntheticArticles
{
    private const int BatchSize = 5_000;

    private static readonly string[] Vocabulary =
        ("government policy energy market treaty alliance minister election history church council economy trade " +
         "security border migration culture museum cathedral music recording archive parliament reform court " +
         "judge tradition family village harvest winter summer ocean river mountain republic kingdom empire war " +
         "peace negotiation summit delegation embassy ambassador oil gas pipeline mining copper grain wheat price " +
         "inflation currency bank debt budget tax school university student teacher book library manuscript " +
         "chant choir organ liturgy pilgrimage monastery abbey bishop cardinal pope encyclical doctrine philosophy " +
         "science medicine hospital doctor nurse farmer worker union strike factory industry technology network " +
         "newspaper radio television journalist editor column opinion analysis report survey statistics census " +
         "region province capital city harbour railway bridge road airport shipping cargo export import tariff " +
         "sanction embargo agreement partnership investment loan credit fund project programme plan strategy " +
         "defence army navy officer general soldier veteran memorial anniversary ceremony festival exhibition " +
         "painting sculpture architecture garden landscape climate drought flood storm forest coast island")
        .Split(' ');

    public static async Task GenerateAsync(IServiceProvider services, int count, TextWriter progress, CancellationToken ct)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var sections = await IdsAsync(dataSource, "sections", ct);
        var topics = await IdsAsync(dataSource, "topics", ct);
        var authors = await IdsAsync(dataSource, "authors", ct);
        if (sections.Count == 0 || topics.Count < 5 || authors.Count < 2)
        {
            throw new InvalidOperationException("Import the seed files first: synthetic articles draw on their sections, topics and authors.");
        }

        var clock = Stopwatch.StartNew();
        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow;
        var batches = Channel.CreateBounded<SyntheticArticle[]>(2);
        var written = 0;

        var render = Task.Run(async () =>
        {
            try
            {
                for (var start = 0; start < count; start += BatchSize)
                {
                    var first = start;
                    var batch = new SyntheticArticle[Math.Min(BatchSize, count - start)];
                    Parallel.For(0, batch.Length, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = 2 },
                        i => batch[i] = Make(first + i, run, now, sections, topics, authors));
                    await batches.Writer.WriteAsync(batch, ct);
                }
                batches.Writer.Complete();
            }
            catch (Exception ex)
            {
                batches.Writer.Complete(ex);
            }
        }, ct);

        async Task WriteAllAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                await WriteArticlesAsync(connection, batch, ct);
                await WriteLinksAsync(connection, "article_authors (article_id, author_id, position)",
                    batch.SelectMany(a => a.Authors.Select((author, position) => (a.Id, author, (int?)position))), ct);
                await WriteLinksAsync(connection, "article_topics (article_id, topic_id)",
                    batch.SelectMany(a => a.Topics.Select(topic => (a.Id, topic, (int?)null))), ct);
                var done = Interlocked.Add(ref written, batch.Length);
                await progress.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"\r  {done:N0} / {count:N0} synthetic articles ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
            await transaction.CommitAsync(ct);
        }

        // Building the search index once over all rows is several times faster than updating it row by row.
        var searchIndex = await IndexDefinitionAsync(dataSource, SearchIndexName, ct);
        await ExecuteAsync(dataSource, $"DROP INDEX IF EXISTS {SearchIndexName}", ct);
        try
        {
            await Task.WhenAll(render, WriteAllAsync(), WriteAllAsync());
        }
        finally
        {
            await progress.WriteAsync("\r  building the search index...                                   ");
            await ExecuteAsync(dataSource, "SET maintenance_work_mem = '512MB'; " + searchIndex, ct);
        }
        // Partners following the change feed learn of the new articles as of anything else published.
        await ExecuteAsync(dataSource,
            $"BEGIN; SELECT pg_advisory_xact_lock({Changes.ContentChanges.CommitOrderLock}); " +
            "INSERT INTO content_changes (at, resource_type, action, resource_id, slug, version) " +
            $"SELECT now(), 'article', 'published', id, slug, version FROM articles WHERE slug LIKE 'synthetic-{run}-%' " +
            "AND status = 'published' ORDER BY published_at, id; COMMIT;", ct);
        await ExecuteAsync(dataSource, "ANALYZE", ct);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"\r  {count:N0} synthetic articles in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private sealed record SyntheticArticle(Guid Id, string Slug, string Title, string Dek, Guid SectionId, string Markdown,
        ArticleBody Body, DateTimeOffset PublishedAt, Guid[] Authors, Guid[] Topics);

    /// <summary>A paragraph or subheading: its Markdown source and its rendering, made once and reused.</summary>
    private sealed record Piece(string Markdown, RenderedBlock Rendered);

    // Bodies are assembled from pieces rendered up front: Markdown rendering would otherwise take more CPU than the
    // database's own work, and a body assembled this way is exactly what rendering its Markdown gives.
    private static readonly Lazy<(Piece[] Paragraphs, Piece[] Headings)> Pieces = new(() =>
    {
        var random = new Random(42);
        Piece Make(string markdown) => new(markdown, ArticleBody.RenderBlocks(markdown, []).Single());
        var paragraphs = Enumerable.Range(0, 3000)
            .Select(_ => Make(string.Join(' ', Enumerable.Range(0, 5).Select(_ => Sentence(random, 10, 17))))).ToArray();
        var headings = Enumerable.Range(0, 500).Select(_ => Make("## " + Sentence(random, 3, 5).TrimEnd('.'))).ToArray();
        return (paragraphs, headings);
    });

    private static SyntheticArticle Make(int index, string run, DateTimeOffset now,
        List<Guid> sections, List<Guid> topics, List<Guid> authors)
    {
        var random = new Random(index * 7919 + 17); // the same index always gives the same article
        var (paragraphs, headings) = Pieces.Value;
        var pieces = new List<Piece>();
        for (var paragraph = 0; paragraph < 9; paragraph++)
        {
            if (paragraph is 3 or 6)
            {
                pieces.Add(headings[random.Next(headings.Length)]);
            }
            pieces.Add(paragraphs[random.Next(paragraphs.Length)]);
        }
        var markdown = string.Join("\n\n", pieces.Select(p => p.Markdown));
        return new SyntheticArticle(
            Guid.CreateVersion7(),
            $"synthetic-{run}-{index}",
            Sentence(random, 5, 9).TrimEnd('.'),
            Sentence(random, 8, 14),
            sections[random.Next(sections.Count)],
            markdown,
            ArticleBody.Compose(pieces.Select(p => p.Rendered)),
            now.AddMinutes(-index * 7 - random.Next(7)),
            Pick(random, authors, random.Next(1, 3)),
            Pick(random, topics, random.Next(2, 6)));
    }

    private static async Task WriteArticlesAsync(NpgsqlConnection connection, SyntheticArticle[] batch, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY articles (id, slug, title, dek, section_id, body_markdown, body_html, body_blocks, body_text, " +
            "word_count, reading_minutes, excerpt, status, published_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var a in batch)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(a.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(a.Slug, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.Title, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.Dek, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.SectionId, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(a.Markdown, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.Body.Html, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.Body.BlocksJson(), NpgsqlDbType.Json, ct);
            await writer.WriteAsync(a.Body.Text, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.Body.WordCount, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(a.Body.ReadingMinutes, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(a.Body.Excerpt(), NpgsqlDbType.Text, ct);
            await writer.WriteAsync("published", NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
        }
        await writer.CompleteAsync(ct);
    }

    private static async Task WriteLinksAsync(NpgsqlConnection connection, string table,
        IEnumerable<(Guid Article, Guid Other, int? Position)> rows, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (article, other, position) in rows)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(article, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(other, NpgsqlDbType.Uuid, ct);
            if (position is { } p)
            {
                await writer.WriteAsync(p, NpgsqlDbType.Integer, ct);
            }
        }
        await writer.CompleteAsync(ct);
    }

    private const string SearchIndexName = "ix_articles_search_vector";

    private static async Task<string> IndexDefinitionAsync(NpgsqlDataSource dataSource, string name, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_get_indexdef($1::regclass)");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<Guid>> IdsAsync(NpgsqlDataSource dataSource, string table, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT id FROM {table} ORDER BY slug");
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }

    private static Guid[] Pick(Random random, List<Guid> from, int count) =>
        from.OrderBy(_ => random.Next()).Take(count).ToArray();

    private static string Sentence(Random random, int minWords, int maxWords)
    {
        var words = Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words) + ".";
    }
}
