using System.Net;
using System.Text.Json;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Feeds;

/// <summary>
/// Feeds served from their stored rendering (StoredFeeds): never once a write has changed what they show, in the
/// process that kept them or in another one on the same database.
/// </summary>
public sealed class StoredFeedTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    private static async Task<List<string>> ItemIdsAsync(HttpClient client, string url) =>
        (await client.GetJsonAsync(url)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Guid> FirstIdAsync(HttpClient editor, string resource) =>
        (await editor.GetJsonAsync($"/v1/manage/{resource}?limit=1")).GetProperty("items")[0].GetProperty("id").GetGuid();

    private Task ExecuteAsync(string sql) => TestDatabaseServer.ExecuteAsync(api.ConnectionString, sql);

    // Whether the stored rendering of the feed at this path is current: its counters are the database's.
    private Task<long> CurrentRenderingsAsync(string path) => ScalarAsync<long>($"""
        SELECT count(*) FROM feed_renderings r
        WHERE r.key LIKE '%{path}'
          AND r.scope_generation = coalesce((SELECT generation FROM feed_generations g WHERE g.kind = r.scope_kind AND g.key = r.scope_key), 0)
          AND r.names_generation = (SELECT stamp FROM card_names_stamp)
              + coalesce((SELECT generation FROM feed_generations WHERE kind = 'names'), 0)
        """);

    private Task<long> GenerationAsync(string kind, string table = "", string slug = "") => ScalarAsync<long>(kind == "all"
        ? "SELECT coalesce((SELECT generation FROM feed_generations WHERE kind = 'all'), 0)"
        : $"SELECT coalesce((SELECT generation FROM feed_generations g JOIN {table} t ON t.id = g.key WHERE g.kind = '{kind}' AND t.slug = '{slug}'), 0)");

    [Fact]
    public async Task An_article_published_through_the_api_is_in_the_next_feed_of_every_process()
    {
        const string path = "/v1/topics/russia/feed.json";
        await using var other = ApiFactory.With(new ApiSettings { Database = api.ConnectionString });
        var otherClient = other.CreateClient();
        var before = await ItemIdsAsync(_client, path);
        Assert.Equal(1, await CurrentRenderingsAsync(path));
        Assert.Equal(before, await ItemIdsAsync(otherClient, path));

        var editor = api.ClientWithKey(await api.CreateKeyAsync("feed-editor", "admin"));
        var russia = (await _client.GetJsonAsync("/v1/topics/russia")).GetProperty("id").GetGuid();
        var draft = await (await editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug = "stored-feeds-see-this", title = "Stored feeds see this", body = "Text.", topicIds = new[] { russia },
            sectionId = await FirstIdAsync(editor, "sections"), authorIds = new[] { await FirstIdAsync(editor, "authors") },
        })).ReadJsonAsync();
        var id = draft.GetProperty("id").GetString()!;
        Assert.Equal(before, await ItemIdsAsync(_client, path)); // a draft shows in no feed

        (await editor.PostAsync($"/v1/manage/articles/{id}/publish", ManageRequests.Json(new { }))).EnsureSuccessStatusCode();
        Assert.Equal([id, .. before], await ItemIdsAsync(_client, path));
        Assert.Equal([id, .. before], await ItemIdsAsync(otherClient, path));
    }

    [Fact]
    public async Task A_process_serves_a_stored_rendering_from_the_database_only_while_no_write_has_moved_its_counters()
    {
        const string path = "/v1/topics/china/feed.rss";
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(path)).StatusCode);
        // Marked bytes: a process that never rendered this feed can only have them from the database.
        await ExecuteAsync($"UPDATE feed_renderings SET body = convert_to('<rss>kept</rss>', 'UTF8') WHERE key LIKE '%{path}'");
        await using var other = ApiFactory.With(new ApiSettings { Database = api.ConnectionString });
        var otherClient = other.CreateClient();
        Assert.Equal("<rss>kept</rss>", await otherClient.GetStringAsync(path));

        await ExecuteAsync("""
            UPDATE articles SET title = title || ' (corrected)' WHERE id = (
                SELECT a.id FROM articles a JOIN article_topics l ON l.article_id = a.id JOIN topics t ON t.id = l.topic_id
                WHERE t.slug = 'china' AND a.status = 'published' ORDER BY a.published_at DESC LIMIT 1)
            """);
        Assert.Contains("(corrected)</title>", await otherClient.GetStringAsync(path), StringComparison.Ordinal);
        Assert.Contains("(corrected)</title>", await _client.GetStringAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_outside_a_feeds_scope_or_of_nothing_it_shows_leave_its_rendering_current()
    {
        const string path = "/v1/topics/music/feed.atom";
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(path)).StatusCode);
        var music = await GenerationAsync("topic", "topics", "music");
        var all = await GenerationAsync("all");

        // A live article outside the topic: the site-wide feed's counter moves, the topic's does not.
        await ExecuteAsync("""
            UPDATE articles SET excerpt = 'Edited elsewhere.' WHERE id = (
                SELECT id FROM articles WHERE status = 'published'
                AND NOT EXISTS (SELECT FROM article_topics l JOIN topics t ON t.id = l.topic_id WHERE l.article_id = articles.id AND t.slug = 'music')
                LIMIT 1)
            """);
        Assert.Equal(all + 1, await GenerationAsync("all"));
        // A column no feed shows, on an article of the topic; and a draft.
        await ExecuteAsync("""
            UPDATE articles SET reading_minutes = reading_minutes + 1 WHERE id IN (
                SELECT l.article_id FROM article_topics l JOIN topics t ON t.id = l.topic_id WHERE t.slug = 'music')
            """);
        await ExecuteAsync("UPDATE articles SET title = 'A draft, retitled' WHERE status = 'draft'");

        Assert.Equal(music, await GenerationAsync("topic", "topics", "music"));
        Assert.Equal(all + 1, await GenerationAsync("all"));
        Assert.Equal(1, await CurrentRenderingsAsync(path));
    }

    [Fact]
    public async Task A_rendering_ends_when_the_next_scheduled_article_goes_live()
    {
        const string path = "/v1/sections/international-affairs/feed.json";
        var slug = await ScalarAsync<string>("""
            SELECT a.slug FROM articles a JOIN sections s ON s.id = a.section_id
            WHERE s.slug = 'international-affairs' AND a.status = 'published' ORDER BY a.published_at DESC LIMIT 1
            """);
        var id = (await _client.GetJsonAsync($"/v1/articles/{slug}")).GetProperty("id").GetString();
        await ExecuteAsync($"UPDATE articles SET status = 'scheduled', published_at = now() + interval '5 minutes' WHERE slug = '{slug}'");

        Assert.DoesNotContain(id, await ItemIdsAsync(_client, path));
        Assert.Equal(1, await ScalarAsync<long>($"""
            SELECT count(*) FROM feed_renderings r JOIN articles a ON r.valid_until > now() AND r.valid_until <= a.published_at
            WHERE r.key LIKE '%{path}' AND a.slug = '{slug}'
            """));
        // A process whose clock has passed that time renders the feed again; the rendering still holds for this one.
        await using var later = ApiFactory.With(new ApiSettings { Database = api.ConnectionString, Clock = new ShiftedClock(TimeSpan.FromMinutes(10)) });
        Assert.Equal(id, (await ItemIdsAsync(later.CreateClient(), path))[0]);
        Assert.DoesNotContain(id, await ItemIdsAsync(_client, path));
    }

    [Fact]
    public async Task Renaming_a_topic_or_a_section_reaches_the_stored_feeds()
    {
        const string path = "/v1/feeds/articles.atom";
        var atom = await _client.GetStringAsync(path);
        Assert.Contains("label=\"Russia\"", atom, StringComparison.Ordinal);
        Assert.Contains("label=\"International Affairs\"", atom, StringComparison.Ordinal);

        await ExecuteAsync("UPDATE topics SET name = 'Russian Federation' WHERE slug = 'russia'");
        Assert.Contains("label=\"Russian Federation\"", await _client.GetStringAsync(path), StringComparison.Ordinal);
        await ExecuteAsync("UPDATE sections SET name = 'World Affairs' WHERE slug = 'international-affairs'");
        Assert.Contains("label=\"World Affairs\"", await _client.GetStringAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_synthetic_import_ends_every_stored_rendering()
    {
        const string path = "/v1/feeds/articles.json";
        var before = await ItemIdsAsync(_client, path);
        await SyntheticArticles.GenerateAsync(api.Services, api.Services.GetRequiredService<NpgsqlDataSource>(), 3, TextWriter.Null, CancellationToken.None);

        var newest = (await _client.GetJsonAsync("/v1/articles?limit=50")).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.NotEqual(before, newest);
        Assert.Equal(newest, await ItemIdsAsync(_client, path));
    }

    [Fact]
    public async Task Spellings_of_a_feeds_address_share_one_rendering_and_its_self_link()
    {
        // Routes match whatever the case of their fixed words: each spelling must not store 340 kB of its own.
        var canonical = await _client.GetStringAsync("/v1/topics/china/feed.json");
        foreach (var spelling in new[] { "/V1/Topics/china/FEED.json", "/v1/TOPICS/china/Feed.json", "/v1/topics/china/feed.json" })
        {
            Assert.Equal(canonical, await _client.GetStringAsync(spelling));
        }
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM feed_renderings WHERE lower(key) LIKE '%/v1/topics/china/feed.json'"));
        Assert.Equal("https://www.example-publisher.org/v1/topics/china/feed.json",
            JsonDocument.Parse(canonical).RootElement.GetProperty("feed_url").GetString());
    }
}
