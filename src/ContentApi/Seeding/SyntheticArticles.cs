using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ContentApi.Content;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Seeding;

/// <summary>
/// Generates published articles for benchmarks, shaped like a real archive rather than a uniform one: words drawn
/// with a Zipf distribution from a vocabulary of 30,000 (a few words in nearly every article, most in a handful),
/// hundreds of topics and authors added beside the seeded ones and also used with a Zipf distribution (a few
/// large, most small), the seeded sections only. About 600-word bodies with subheadings, 2-5 topics, 1-2 authors.
/// Rows go in through PostgreSQL's binary COPY on two connections at once, while the next batches are rendered and
/// their search vectors worked out (<see cref="PlainTextSearchVectors"/>): computing those in PostgreSQL was most
/// of an import's work.
/// </summary>
public static class SyntheticArticles
{
    private const int BatchSize = 5_000;

    /// <summary>The most frequent words, in order; the generated words that follow them make up the long tail.</summary>
    private static readonly string[] CommonWords =
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

    public const int VocabularySize = 30_000;
    public const int SyntheticTopics = 400;
    public const int SyntheticAuthors = 300;

    /// <summary>Every word, most frequent first: the common words, then pronounceable made-up ones.</summary>
    public static readonly Lazy<string[]> Vocabulary = new(() =>
    {
        var random = new Random(7);
        string[] onsets = ["b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "gl", "pl"];
        string[] vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea"];
        var words = new List<string>(CommonWords);
        var seen = words.ToHashSet();
        while (words.Count < VocabularySize)
        {
            var word = string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => onsets[random.Next(onsets.Length)] + vowels[random.Next(vowels.Length)]))
                       + onsets[random.Next(onsets.Length)];
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }
        return words.ToArray();
    });

    private static readonly Lazy<Zipf> Words = new(() => new Zipf(VocabularySize, 1.05));

    /// <summary>Adds <paramref name="count"/> articles; <paramref name="dataSource"/> must be the schema owner's, since the search index is rebuilt.</summary>
    public static async Task GenerateAsync(IServiceProvider services, NpgsqlDataSource dataSource, int count, TextWriter progress, CancellationToken ct)
    {
        var sections = await IdsAsync(dataSource, "sections", ct);
        if (sections.Count == 0)
        {
            throw new InvalidOperationException("Import the seed files first: synthetic articles draw on their sections.");
        }
        await AddTopicsAndAuthorsAsync(services, ct);
        var topics = Pool.Of(await IdsAsync(dataSource, "topics", ct));
        var authors = Pool.Of(await IdsAsync(dataSource, "authors", ct));
        var vectors = await PlainTextSearchVectors.LoadAsync(dataSource, Vocabulary.Value, ct) is { } loaded ? new Vectors(loaded) : null;
        if (vectors is null)
        {
            await progress.WriteLineAsync("  this database's text parser reads punctuation otherwise: PostgreSQL computes every search vector");
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
                        i => batch[i] = Make(first + i, run, now, sections, topics, authors, vectors));
                    await batches.Writer.WriteAsync(batch, ct);
                }
                batches.Writer.Complete();
            }
            catch (Exception ex)
            {
                batches.Writer.Complete(ex);
            }
        }, ct);

        // Two writers, each one transaction that sets contentapi.bulk_import: the listing triggers stand aside
        // (BulkImportPausesListing), since each COPY would otherwise upsert the same count rows and the second writer
        // would queue behind the first until it committed. Each writer gives its links their listed_at, and its articles
        // and their links the article's topic and author ids, in the COPY, and adds its own counts and change events at
        // the end, so what it commits is whole, and a killed import commits nothing.
        async Task WriteAllAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, "SET LOCAL contentapi.bulk_import = 'on'", ct);
            var listed = new ListedCounts();
            var ids = new List<Guid>();
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                await WriteArticlesAsync(connection, batch, ct);
                await CheckSearchVectorsAsync(connection, batch, ct);
                await WriteLinksAsync(connection, "article_authors (article_id, author_id, listed_at, topic_ids, author_ids, position)",
                    batch.SelectMany(a => a.Authors.Select((author, position) => (a, author, (int?)position))), ct);
                await WriteLinksAsync(connection, "article_topics (article_id, topic_id, listed_at, topic_ids, author_ids)",
                    batch.SelectMany(a => a.Topics.Select(topic => (a, topic, (int?)null))), ct);
                foreach (var article in batch)
                {
                    listed.Add(article);
                    ids.Add(article.Id);
                }
                var done = Interlocked.Add(ref written, batch.Length);
                await progress.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"\r  {done:N0} / {count:N0} synthetic articles ({clock.Elapsed.TotalSeconds:F1} s)"));
            }
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({Changes.ContentChanges.CommitOrderLock})", ct);
            await listed.SaveAsync(connection, ct);
            // The feeds' triggers stand aside too: every stored feed is rendered again.
            await ExecuteAsync(connection, "SELECT bump_feed_generations(ARRAY['names'], ARRAY['00000000-0000-0000-0000-000000000000'::uuid])", ct);
            // Partners following the change feed learn of the new articles as of anything else published.
            await using (var changes = new NpgsqlCommand(
                "INSERT INTO content_changes (at, resource_type, action, resource_id, slug, version) " +
                "SELECT now(), 'article', 'published', id, slug, version FROM articles WHERE id = ANY($1) ORDER BY published_at, id", connection))
            {
                changes.CommandTimeout = 0;
                changes.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
                await changes.ExecuteNonQueryAsync(ct);
            }
            await ExecuteAsync(connection, $"SELECT pg_notify('{Http.DeliveryCacheFollower.Channel}', '')", ct);
            await transaction.CommitAsync(ct);
        }

        // Building the search index once over all rows is several times faster than updating it row by row. If the
        // import is killed before it is back, the next start of the API builds it (RestoreSearchIndexAsync).
        await ExecuteAsync(dataSource, $"DROP INDEX IF EXISTS {SearchIndexName}", ct);
        try
        {
            await Task.WhenAll(render, WriteAllAsync(), WriteAllAsync());
        }
        finally
        {
            await progress.WriteAsync("\r  building the search index...                                   ");
            await ExecuteAsync(dataSource, "SET maintenance_work_mem = '512MB'; " + SearchIndexSql, ct);
        }
        await ExecuteAsync(dataSource, "ANALYZE", ct);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"\r  {count:N0} synthetic articles in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private sealed record SyntheticArticle(Guid Id, string Slug, string Title, string Dek, Guid SectionId, string Markdown,
        ArticleBody Body, string Excerpt, byte[]? SearchVector, DateTimeOffset PublishedAt, Guid[] Authors, Guid[] Topics)
    {
        /// <summary>
        /// The topic ids as the article and its links keep them, in PostgreSQL's order (it orders uuids as their text,
        /// byte by byte). The link triggers stand aside during the import, so the COPY writes these copies itself.
        /// </summary>
        public Guid[] KeptTopicIds { get; } = Topics.OrderBy(id => id.ToString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>A paragraph or subheading: its Markdown source and its rendering, made once and reused.</summary>
    private sealed record Piece(string Markdown, RenderedBlock Rendered);

    /// <summary>The search vectors' maker, and the words of every piece read once: a body is its pieces' words in order.</summary>
    private sealed class Vectors(PlainTextSearchVectors maker)
    {
        private readonly Dictionary<Piece, int[]?> _pieceWords = Pieces.Value.Paragraphs.Concat(Pieces.Value.Headings)
            .ToDictionary<Piece, Piece, int[]?>(p => p, p => maker.Words(p.Rendered.Text), ReferenceEqualityComparer.Instance);

        public byte[]? Of(string title, string dek, string excerpt, List<Piece> body)
        {
            var bodyWords = new List<int>();
            foreach (var piece in body)
            {
                if (_pieceWords[piece] is not { } words)
                {
                    return null;
                }
                bodyWords.AddRange(words);
            }
            return maker.Of((maker.Words(title), 'A'), (maker.Words(dek), 'B'), (maker.Words(excerpt), 'C'), ([.. bodyWords], 'D'));
        }
    }

    // Bodies are assembled from pieces rendered up front: Markdown rendering would otherwise take more CPU than the
    // database's own work, and a body assembled this way is exactly what rendering its Markdown gives.
    private static readonly Lazy<(Piece[] Paragraphs, Piece[] Headings)> Pieces = new(() =>
    {
        var random = new Random(42);
        Piece Make(string markdown) => new(markdown, ArticleBody.RenderBlocks(markdown, []).Single());
        // Enough paragraphs that a word from the tail of the vocabulary lands in few articles, as rare words do.
        var paragraphs = Enumerable.Range(0, 20_000)
            .Select(_ => Make(string.Join(' ', Enumerable.Range(0, 5).Select(_ => Sentence(random, 10, 17))))).ToArray();
        var headings = Enumerable.Range(0, 2_000).Select(_ => Make("## " + Sentence(random, 3, 5).TrimEnd('.'))).ToArray();
        return (paragraphs, headings);
    });

    /// <summary>Topics or authors in a fixed random order, the first ones drawn most often.</summary>
    private sealed record Pool(List<Guid> Ids, Zipf Use)
    {
        public static Pool Of(List<Guid> ids)
        {
            var shuffled = ids.ToArray();
            new Random(11).Shuffle(shuffled); // seeded and synthetic ones mixed, the same way on every run
            return new Pool([.. shuffled], new Zipf(shuffled.Length, 1.0));
        }
    }

    private static SyntheticArticle Make(int index, string run, DateTimeOffset now,
        List<Guid> sections, Pool topics, Pool authors, Vectors? vectors)
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
        var title = Sentence(random, 5, 9).TrimEnd('.');
        var dek = Sentence(random, 8, 14);
        var body = ArticleBody.Compose(pieces.Select(p => p.Rendered));
        var excerpt = body.Excerpt();
        return new SyntheticArticle(
            Guid.CreateVersion7(),
            $"synthetic-{run}-{index}",
            title,
            dek,
            sections[random.Next(sections.Count)],
            markdown,
            body,
            excerpt,
            vectors?.Of(title, dek, excerpt, pieces),
            now.AddMinutes(-index * 7 - random.Next(7)),
            Pick(random, authors.Ids, authors.Use, random.Next(1, 3)),
            Pick(random, topics.Ids, topics.Use, random.Next(2, 6)));
    }

    /// <summary>
    /// Adds the synthetic topics and authors that are not there yet (their slugs are the same on every run), through
    /// the model so that they get their change events like any other.
    /// </summary>
    private static async Task AddTopicsAndAuthorsAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        var words = Vocabulary.Value;
        string Word(int i) => words[CommonWords.Length + i];
        string Title(string word) => char.ToUpperInvariant(word[0]) + word[1..];
        var existingTopics = (await db.Topics.Select(t => t.Slug).ToListAsync(ct)).ToHashSet();
        var existingAuthors = (await db.Authors.Select(a => a.Slug).ToListAsync(ct)).ToHashSet();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < SyntheticTopics; i++)
        {
            var (first, second) = (Word(2 * i), Word(2 * i + 1));
            if (existingTopics.Add($"{first}-{second}"))
            {
                db.Topics.Add(new Topic { Slug = $"{first}-{second}", Name = $"{Title(first)} {second}", CreatedAt = now, UpdatedAt = now });
            }
        }
        for (var i = 0; i < SyntheticAuthors; i++)
        {
            var (given, family) = (Word(1000 + 2 * i), Word(1000 + 2 * i + 1));
            if (existingAuthors.Add($"{given}-{family}"))
            {
                db.Authors.Add(new Author { Slug = $"{given}-{family}", Name = $"{Title(given)} {Title(family)}", CreatedAt = now, UpdatedAt = now });
            }
        }
        await Changes.ContentChanges.SaveAsync(db, now, ct);
    }

    private static async Task WriteArticlesAsync(NpgsqlConnection connection, SyntheticArticle[] batch, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY articles (id, slug, title, dek, section_id, body_markdown, body_html, body_blocks, body_text, " +
            "word_count, reading_minutes, excerpt, status, published_at, created_at, updated_at, topic_ids, author_ids, search_vector) " +
            "FROM STDIN (FORMAT BINARY)", ct);
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
            await writer.WriteAsync(a.Excerpt, NpgsqlDbType.Text, ct);
            await writer.WriteAsync("published", NpgsqlDbType.Text, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(a.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(a.KeptTopicIds, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(a.Authors, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
            if (a.SearchVector is null)
            {
                await writer.WriteNullAsync(ct); // the articles_search_vector trigger computes it
            }
            else
            {
                await writer.WriteAsync(a.SearchVector, NpgsqlDbType.Bytea, ct); // read as a tsvector's binary form
            }
        }
        await writer.CompleteAsync(ct);
    }

    /// <summary>
    /// Compares the first vectors of a batch written here with PostgreSQL's: a difference stops the import, and its
    /// transaction leaves nothing behind.
    /// </summary>
    private static async Task CheckSearchVectorsAsync(NpgsqlConnection connection, SyntheticArticle[] batch, CancellationToken ct)
    {
        var sample = batch.Where(a => a.SearchVector is not null).Take(5).Select(a => a.Id).ToArray();
        await using var command = new NpgsqlCommand(
            $"SELECT slug FROM articles WHERE id = ANY($1) AND search_vector IS DISTINCT FROM ({PlainTextSearchVectors.ArticleSql}) LIMIT 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sample });
        if (await command.ExecuteScalarAsync(ct) is string slug)
        {
            throw new InvalidOperationException($"the search vector worked out for {slug} differs from PostgreSQL's: the import stops");
        }
    }

    private static async Task WriteLinksAsync(NpgsqlConnection connection, string table,
        IEnumerable<(SyntheticArticle Article, Guid Other, int? Position)> rows, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (article, other, position) in rows)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(article.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(other, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(article.PublishedAt, NpgsqlDbType.TimestampTz, ct);
            await writer.WriteAsync(article.KeptTopicIds, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(article.Authors, NpgsqlDbType.Array | NpgsqlDbType.Uuid, ct);
            if (position is { } p)
            {
                await writer.WriteAsync(p, NpgsqlDbType.Integer, ct);
            }
        }
        await writer.CompleteAsync(ct);
    }

    private const string SearchIndexName = "ix_articles_search_vector";
    /// <summary>The articles' search index as the migrations define it (InitialContentModel).</summary>
    public const string SearchIndexSql = $"CREATE INDEX IF NOT EXISTS {SearchIndexName} ON articles USING gin (search_vector)";

    /// <summary>
    /// Builds the articles' search index when an import was stopped while it was dropped; run at each start, after
    /// the migrations. Search answers without it, but reads every article to do so.
    /// </summary>
    public static async Task RestoreSearchIndexAsync(string ownerConnectionString, ILogger logger, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(ownerConnectionString);
        await using (var check = dataSource.CreateCommand($"SELECT to_regclass('{SearchIndexName}') IS NULL"))
        {
            if (!(bool)(await check.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }
        logger.LogWarning("The articles' search index is missing (an import was stopped before it rebuilt it); building it now");
        await ExecuteAsync(dataSource, "SET maintenance_work_mem = '512MB'; " + SearchIndexSql, ct);
    }

    /// <summary>What an import adds to listed_counts, saved at the end of its transaction.</summary>
    private sealed class ListedCounts
    {
        private static readonly Guid All = Guid.Empty;
        private readonly Dictionary<(string Kind, Guid Key), int> _added = [];

        public void Add(SyntheticArticle article) // synthetic articles are published, so each is listed
        {
            Count("all", All);
            Count("section", article.SectionId);
            foreach (var topic in article.Topics)
            {
                Count("topic", topic);
            }
            foreach (var author in article.Authors)
            {
                Count("author", author);
            }
        }

        private void Count(string kind, Guid key) => _added[(kind, key)] = _added.GetValueOrDefault((kind, key)) + 1;

        // Called under the commit-order lock, which the other importer and the API's writers take before they touch
        // a count row: no two of them wait on each other's rows.
        public async Task SaveAsync(NpgsqlConnection connection, CancellationToken ct)
        {
            var rows = _added.ToList();
            await using var command = new NpgsqlCommand("""
                INSERT INTO listed_counts AS c (kind, key, listed) SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[])
                ON CONFLICT (kind, key) DO UPDATE SET listed = c.listed + excluded.listed
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Kind).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Key.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(r => r.Value).ToArray() });
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0; // at a million articles, building the search index alone takes over 10 minutes
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
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

    /// <summary><paramref name="count"/> different entries of <paramref name="from"/>, the first ones more often.</summary>
    private static Guid[] Pick(Random random, List<Guid> from, Zipf use, int count)
    {
        var picked = new HashSet<Guid>();
        while (picked.Count < Math.Min(count, from.Count))
        {
            picked.Add(from[use.Next(random)]);
        }
        return picked.ToArray();
    }

    /// <summary>Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1)^exponent.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;

        public Zipf(int n, double exponent)
        {
            _cumulative = new double[n];
            var total = 0.0;
            for (var rank = 0; rank < n; rank++)
            {
                total += 1 / Math.Pow(rank + 1, exponent);
                _cumulative[rank] = total;
            }
            for (var rank = 0; rank < n; rank++)
            {
                _cumulative[rank] /= total;
            }
        }

        public int Next(Random random)
        {
            var index = Array.BinarySearch(_cumulative, random.NextDouble());
            return Math.Min(index < 0 ? ~index : index, _cumulative.Length - 1);
        }
    }

    private static string Sentence(Random random, int minWords, int maxWords)
    {
        var vocabulary = Vocabulary.Value;
        var words = Enumerable.Range(0, random.Next(minWords, maxWords + 1)).Select(_ => vocabulary[Words.Value.Next(random)]).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words) + ".";
    }
}
