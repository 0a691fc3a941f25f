using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>Cards take authors' and topics' names from memory (CardNames): a change to them shows at once.</summary>
public sealed class CardNamesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_renamed_author_and_topic_show_in_the_next_list_with_the_topics_in_name_order()
    {
        var client = api.CreateClient();
        var card = FirstWithTopics(await client.GetJsonAsync("/v1/articles?limit=50"), 2);
        var slug = card.GetProperty("slug").GetString()!;
        var author = card.GetProperty("authors")[0].GetProperty("slug").GetString()!;
        var lastTopic = card.GetProperty("topics").Strings("slug")[^1];

        // Written to the database directly, as another replica's write would be: this process hears nothing of it.
        await ExecuteAsync($"UPDATE authors SET name = 'Renamed Author' WHERE slug = '{author}'");
        await ExecuteAsync($"UPDATE topics SET name = 'AAA first now' WHERE slug = '{lastTopic}'");

        var after = (await client.GetJsonAsync("/v1/articles?limit=50")).GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("slug").GetString() == slug);
        Assert.Equal("Renamed Author", after.GetProperty("authors")[0].GetProperty("name").GetString());
        var topics = after.GetProperty("topics").Strings("name");
        Assert.Equal("AAA first now", topics[0]);
        Assert.Equal(topics.Order(StringComparer.Ordinal), topics);
        // The article's own page orders its topics in SQL: the card agrees with it.
        var article = await client.GetJsonAsync($"/v1/articles/{slug}");
        Assert.Equal(article.GetProperty("topics").Strings("slug"), after.GetProperty("topics").Strings("slug"));
    }

    [Fact]
    public async Task An_author_added_to_an_article_appears_on_its_card_moves_with_its_position_and_a_removed_one_leaves_it()
    {
        var client = api.CreateClient();
        var card = FirstWithTopics(await client.GetJsonAsync("/v1/articles?limit=50"), 1);
        var slug = card.GetProperty("slug").GetString()!;
        var bylines = card.GetProperty("authors").GetArrayLength();

        await ExecuteAsync($"""
            INSERT INTO authors (id, slug, name, created_at, updated_at) VALUES (gen_random_uuid(), 'card-names-new-author', 'New Byline', now(), now());
            INSERT INTO article_authors (article_id, author_id, position)
            SELECT a.id, x.id, 99 FROM articles a, authors x WHERE a.slug = '{slug}' AND x.slug = 'card-names-new-author';
            """);
        var added = await CardAsync(client, slug);
        Assert.Equal(bylines + 1, added.GetProperty("authors").GetArrayLength());
        Assert.Equal("New Byline", added.GetProperty("authors")[bylines].GetProperty("name").GetString());

        // Moved to the front of the byline by a write to the link alone: the card follows the new order.
        await ExecuteAsync($"""
            UPDATE article_authors SET position = position + 100
            WHERE article_id = (SELECT id FROM articles WHERE slug = '{slug}') AND author_id <> (SELECT id FROM authors WHERE slug = 'card-names-new-author');
            """);
        var moved = await CardAsync(client, slug);
        Assert.Equal("New Byline", moved.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Equal(added.GetProperty("authors").Strings("slug")[..bylines], moved.GetProperty("authors").Strings("slug")[1..]);

        await ExecuteAsync("""
            DELETE FROM article_authors WHERE author_id = (SELECT id FROM authors WHERE slug = 'card-names-new-author');
            DELETE FROM authors WHERE slug = 'card-names-new-author';
            """);
        var removed = await CardAsync(client, slug);
        Assert.Equal(bylines, removed.GetProperty("authors").GetArrayLength());
    }

    [Fact]
    public async Task Two_writers_adding_topics_to_one_article_at_once_both_reach_its_card()
    {
        var client = api.CreateClient();
        var slug = FirstWithTopics(await client.GetJsonAsync("/v1/articles?limit=50"), 1).GetProperty("slug").GetString()!;
        string Link(int nth) => $"""
            INSERT INTO article_topics (article_id, topic_id)
            SELECT a.id, (SELECT t.id FROM topics t WHERE t.id NOT IN (SELECT topic_id FROM article_topics WHERE article_id = a.id)
                          ORDER BY t.slug OFFSET {nth} LIMIT 1)
            FROM articles a WHERE a.slug = '{slug}'
            """;

        // Two transactions straight in the database, as two replicas' writes would be: the second waits for the first.
        await using var first = new NpgsqlConnection(api.ConnectionString);
        await using var second = new NpgsqlConnection(api.ConnectionString);
        await first.OpenAsync();
        await second.OpenAsync();
        await using var firstWrite = await first.BeginTransactionAsync();
        await new NpgsqlCommand(Link(0), first, firstWrite).ExecuteNonQueryAsync();
        await using var secondWrite = await second.BeginTransactionAsync();
        var waiting = new NpgsqlCommand(Link(1), second, secondWrite).ExecuteNonQueryAsync();
        await WaitForLockAsync(second.ProcessID);
        await firstWrite.CommitAsync();
        await waiting;
        await secondWrite.CommitAsync();

        var mismatches = await ListedTruth.MismatchesAsync(api.ConnectionString);
        Assert.True(mismatches is [], string.Join("; ", mismatches));
        var article = await client.GetJsonAsync($"/v1/articles/{slug}");
        Assert.Equal(article.GetProperty("topics").Strings("slug"), (await CardAsync(client, slug)).GetProperty("topics").Strings("slug"));
    }

    [Fact]
    public async Task Feeds_name_authors_and_topics_from_the_same_names_and_show_a_rename_at_once()
    {
        var client = api.CreateClient();
        var entry = (await client.GetJsonAsync("/v1/feeds/articles.json")).GetProperty("items").EnumerateArray()
            .First(e => e.GetProperty("authors").GetArrayLength() >= 1 && e.GetProperty("tags").GetArrayLength() >= 2);
        var id = entry.GetProperty("id").GetString()!;
        var author = entry.GetProperty("authors")[0].GetProperty("name").GetString()!;
        var topic = Tags(entry)[^1];

        await ExecuteAsync($"UPDATE authors SET name = 'Feed Renamed Author' WHERE name = '{author}'");
        await ExecuteAsync($"UPDATE topics SET name = 'Feed renamed topic' WHERE name = '{topic}'");

        var after = (await client.GetJsonAsync("/v1/feeds/articles.json")).GetProperty("items").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal("Feed Renamed Author", after.GetProperty("authors")[0].GetProperty("name").GetString());
        Assert.Contains("Feed renamed topic", Tags(after));
        // The section comes first, then the topics by name, as on the card.
        var card = (await client.GetJsonAsync("/v1/articles?limit=50")).GetProperty("items").EnumerateArray()
            .Single(c => c.GetProperty("id").GetString() == id);
        var expected = card.GetProperty("topics").Strings("name").Prepend(card.GetProperty("section").GetProperty("name").GetString()!)
            .Distinct().ToList();
        Assert.Equal(expected, Tags(after));
    }

    private static List<string> Tags(JsonElement entry) => entry.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList();

    private static JsonElement FirstWithTopics(JsonElement list, int topics) => list.GetProperty("items").EnumerateArray()
        .First(c => c.GetProperty("topics").GetArrayLength() >= topics && c.GetProperty("authors").GetArrayLength() >= 1);

    private static async Task<JsonElement> CardAsync(HttpClient client, string slug) =>
        (await client.GetJsonAsync("/v1/articles?limit=50")).GetProperty("items").EnumerateArray()
        .Single(c => c.GetProperty("slug").GetString() == slug);

    private async Task WaitForLockAsync(int backend)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = {backend}", connection);
        for (var tries = 0; !(await command.ExecuteScalarAsync() is true); tries++)
        {
            Assert.True(tries < 200, "the second writer never waited for the first");
            await Task.Delay(25);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
