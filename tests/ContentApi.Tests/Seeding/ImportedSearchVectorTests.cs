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

    [Fact]
    public async Task An_article_written_through_the_api_is_found_by_its_words_and_by_its_new_title_after_an_edit()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("vector-editor", "content:write"));
        await using var dataSource = NpgsqlDataSource.Create(api.ConnectionString);
        var section = (Guid)(await ScalarAsync(dataSource, "SELECT id FROM sections ORDER BY slug LIMIT 1"))!;
        var author = (Guid)(await ScalarAsync(dataSource, "SELECT id FROM authors ORDER BY slug LIMIT 1"))!;
        var created = await (await editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug = "quillmakers-of-the-coast", title = "Quillmakers of the coast", sectionId = section, authorIds = new[] { author },
            body = "The workshop keeps its *inkwells* on the windowsill.",
        })).ReadJsonAsync();
        var url = $"/v1/manage/articles/{created.GetProperty("id").GetGuid()}";
        Assert.True((await editor.PostAsync($"{url}/publish", null)).IsSuccessStatusCode);
        Assert.Equal(["quillmakers-of-the-coast"], await FoundAsync("inkwells"));

        var (_, etag) = await editor.GetWithETagAsync(url);
        await (await editor.PatchJsonAsync(url, new { title = "Lamplighters of the coast" }, etag)).ReadJsonAsync();
        Assert.Equal(["quillmakers-of-the-coast"], await FoundAsync("lamplighters"));
        Assert.Empty(await FoundAsync("quillmakers"));
        Assert.Equal(0L, await DifferingAsync(dataSource));
    }

    private async Task<string[]> FoundAsync(string word) =>
        (await api.CreateClient().GetJsonAsync($"/v1/search?q={word}&type=article")).GetProperty("items").Strings("slug").ToArray();

    private static Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql) => dataSource.CreateCommand(sql).ExecuteScalarAsync();

    private static async Task<long> DifferingAsync(NpgsqlDataSource dataSource) => (long)(await ScalarAsync(dataSource,
        $"SELECT count(*) FROM articles WHERE search_vector IS DISTINCT FROM ({PlainTextSearchVectors.ArticleSql})"))!;

    private static IEnumerable<string> Words(params string[] texts) =>
        texts.SelectMany(t => t.Split([' ', '\n', '.', ',', ';', ':', '!', '?', '…', '-'], StringSplitOptions.RemoveEmptyEntries));
}
