using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Seeding;

/// <summary>
/// The synthetic import works out the articles' search vectors itself, and the articles_search_vector trigger keeps
/// them when it does; every other write has PostgreSQL compute them. Both must give PostgreSQL's own vector.
/// </summary>
public sealed class ImportedSearchVectorTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string Long = string.Join(' ', Enumerable.Range(0, 17_000).Select(i => i % 3 == 0 ? "the" : i % 3 == 1 ? "river" : "bank"));

    public static TheoryData<string, string, string, string> PlainTexts => new()
    {
        { "Cathedral music at winter", "A choir, an organ; and the liturgy: sung! Heard?", "Pilgrims came…", "Pilgrims came to the abbey.\n\nThe choir sang." },
        { "Ending on a stop word to the", "", "The harbour", "The and of river" }, // || moves a part past the highest position, not the last word
        { "", "", "", "" },
        { "Harbour", "harbour harbour harbour", string.Join(' ', Enumerable.Repeat("harbour", 300)), string.Join(' ', Enumerable.Repeat("harbours", 300)) }, // 255 a text, 256 a lexeme
        { "River", "Bank", "River…", Long }, // positions stop at 16,383
    };

    [Theory]
    [MemberData(nameof(PlainTexts))]
    public async Task A_vector_worked_out_for_plain_words_is_byte_for_byte_postgresql_s(string title, string dek, string excerpt, string body)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        var vectors = await PlainTextSearchVectors.LoadAsync(dataSource, Words(title, dek, excerpt, body), CancellationToken.None);
        // Our provisioned servers and the Testcontainers image use UTF-8 locales, whose parser reads punctuation as
        // the import expects; under the C locale the import leaves every vector to PostgreSQL instead.
        Assert.True(vectors is not null, "PostgreSQL's parser read the probe's punctuation otherwise: is this database's locale C?");

        var ours = vectors.Of((title, 'A'), (dek, 'B'), (excerpt, 'C'), (body, 'D'));

        await using var command = dataSource.CreateCommand(
            $"SELECT tsvectorsend({PlainTextSearchVectors.ArticleSql}) FROM (VALUES ($1, $2, $3, $4)) AS a (title, dek, excerpt, body_text)");
        foreach (var part in new[] { title, dek, excerpt, body })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = part });
        }
        Assert.Equal((byte[])(await command.ExecuteScalarAsync())!, ours);
    }

    [Theory]
    [InlineData("The end.Next one")] // a host name to PostgreSQL
    [InlineData("Prices rose 12 points")]
    [InlineData("A state-of-the-art harbour")]
    [InlineData("The café opened")]
    [InlineData("Commas,without spaces")]
    [InlineData("An unknownword here")]
    public async Task Text_other_than_plain_known_words_is_left_to_postgresql(string text)
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        var vectors = await PlainTextSearchVectors.LoadAsync(dataSource, Words(text).Where(w => w != "unknownword"), CancellationToken.None);
        Assert.NotNull(vectors);
        Assert.Null(vectors.Of(("Harbour", 'A'), (text, 'B')));
    }

    [Fact]
    public async Task Imported_articles_hold_postgresql_s_vectors_and_later_writes_have_it_computed_again()
    {
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        Assert.NotNull(await PlainTextSearchVectors.LoadAsync(dataSource, SyntheticArticles.Vocabulary.Value, CancellationToken.None));
        await SyntheticArticles.GenerateAsync(api.Services, dataSource, 120, TextWriter.Null, CancellationToken.None);
        Assert.Equal(120L, await ScalarAsync(dataSource, "SELECT count(*) FROM articles WHERE slug LIKE 'synthetic-%'"));
        Assert.Equal(0L, await DifferingAsync(dataSource));

        // Outside an import, a vector written by hand is replaced, and one whose text did not change is kept.
        var slug = (string)(await ScalarAsync(dataSource, "SELECT slug FROM articles WHERE slug LIKE 'synthetic-%' LIMIT 1"))!;
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET search_vector = 'forged' WHERE slug = '{slug}'");
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET title = 'Lighthouse keepers' WHERE slug = '{slug}'");
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET reading_minutes = reading_minutes + 1 WHERE slug = '{slug}'");
        Assert.Equal(0L, await DifferingAsync(dataSource));
        Assert.Equal(true, await ScalarAsync(dataSource, $"SELECT search_vector @@ 'lighthous:A'::tsquery FROM articles WHERE slug = '{slug}'"));
    }

    private static Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql) => dataSource.CreateCommand(sql).ExecuteScalarAsync();

    private static async Task<long> DifferingAsync(NpgsqlDataSource dataSource) => (long)(await ScalarAsync(dataSource,
        $"SELECT count(*) FROM articles WHERE search_vector IS DISTINCT FROM ({PlainTextSearchVectors.ArticleSql})"))!;

    private static IEnumerable<string> Words(params string[] texts) =>
        texts.SelectMany(t => t.Split([' ', '\n', '.', ',', ';', ':', '!', '?', '…', '-'], StringSplitOptions.RemoveEmptyEntries));
}
