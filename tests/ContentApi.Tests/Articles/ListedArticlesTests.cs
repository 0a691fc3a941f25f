using System.Net;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Tests.Articles;

/// <summary>
/// What the database keeps for the common lists and cards (listed_counts, the links' listed_at, the copies of an
/// article's topic and author ids in its row and its link rows), against a recount.
/// </summary>
internal static class ListedTruth
{
    // Every kept count that differs from counting the rows again, as "kind key: kept vs counted", then every link and
    // article whose kept copy differs from the rows it copies (a link's ids copy its article's).
    private const string MismatchSql = """
        WITH truth AS (
            SELECT 'all' AS kind, '00000000-0000-0000-0000-000000000000'::uuid AS key, count(*)::int AS n FROM articles WHERE status IN ('published', 'scheduled')
            UNION ALL SELECT 'section', section_id, count(*) FROM articles WHERE status IN ('published', 'scheduled') GROUP BY section_id
            UNION ALL SELECT 'topic', l.topic_id, count(*) FROM article_topics l JOIN articles a ON a.id = l.article_id WHERE a.status IN ('published', 'scheduled') GROUP BY l.topic_id
            UNION ALL SELECT 'author', l.author_id, count(*) FROM article_authors l JOIN articles a ON a.id = l.article_id WHERE a.status IN ('published', 'scheduled') GROUP BY l.author_id)
        SELECT coalesce(t.kind, c.kind) || ' ' || coalesce(t.key, c.key) || ': ' || coalesce(c.listed, 0) || ' vs ' || coalesce(t.n, 0)
        FROM truth t FULL JOIN listed_counts c ON c.kind = t.kind AND c.key = t.key
        WHERE coalesce(t.n, 0) <> coalesce(c.listed, 0)
        UNION ALL
        SELECT 'link ' || l.article_id || ' listed_at ' || coalesce(l.listed_at::text, 'null')
        FROM (SELECT article_id, listed_at FROM article_topics UNION ALL SELECT article_id, listed_at FROM article_authors) l
        JOIN articles a ON a.id = l.article_id
        WHERE l.listed_at IS DISTINCT FROM (CASE WHEN a.status IN ('published', 'scheduled') THEN a.published_at END)
        UNION ALL
        SELECT 'article ' || a.slug || ' keeps topics ' || a.topic_ids::text || ' and authors ' || a.author_ids::text
        FROM articles a
        WHERE a.topic_ids IS DISTINCT FROM ARRAY(SELECT l.topic_id FROM article_topics l WHERE l.article_id = a.id ORDER BY l.topic_id)
           OR a.author_ids IS DISTINCT FROM ARRAY(SELECT l.author_id FROM article_authors l WHERE l.article_id = a.id ORDER BY l.position, l.author_id)
        UNION ALL
        SELECT 'a link of ' || a.slug || ' keeps topics ' || l.topic_ids::text || ' and authors ' || l.author_ids::text
        FROM (SELECT article_id, topic_ids, author_ids FROM article_topics UNION ALL SELECT article_id, topic_ids, author_ids FROM article_authors) l
        JOIN articles a ON a.id = l.article_id
        WHERE (l.topic_ids, l.author_ids) IS DISTINCT FROM (a.topic_ids, a.author_ids)
        """;

    public static async Task<List<string>> MismatchesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(MismatchSql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<string>();
        while (await reader.ReadAsync())
        {
            found.Add(reader.GetString(0));
        }
        return found;
    }

    /// <summary>The slugs of the live articles matching a SQL condition on article a, newest first.</summary>
    public static async Task<List<string>> NewestFirstAsync(string connectionString, string condition)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The conditions are the tests' own text.
        await using var command = new NpgsqlCommand(
            "SELECT a.slug FROM articles a WHERE a.status IN ('published', 'scheduled') AND a.published_at <= now() " +
            $"AND ({condition}) ORDER BY a.published_at DESC, a.id DESC", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var slugs = new List<string>();
        while (await reader.ReadAsync())
        {
            slugs.Add(reader.GetString(0));
        }
        return slugs;
    }
}

/// <summary>Writes through the management API keep the kept counts and the links' publish times equal to a recount.</summary>
public sealed class KeptCountTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _public = api.ClientWithKey(null);

    [Fact]
    public async Task Creating_publishing_retagging_scheduling_unpublishing_and_deleting_keep_every_count_equal_to_a_recount()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("counter", "content:write"));
        Guid section, author, otherAuthor, topic, otherTopic;
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            section = await db.Sections.Where(s => s.Slug == "international-affairs").Select(s => s.Id).SingleAsync();
            author = await db.Authors.Where(a => a.Slug == "cassie-b").Select(a => a.Id).SingleAsync();
            otherAuthor = await db.Authors.Where(a => a.Slug == "martin-hale").Select(a => a.Id).SingleAsync();
            topic = await db.Topics.Where(t => t.Slug == "energy").Select(t => t.Id).SingleAsync();
            otherTopic = await db.Topics.Where(t => t.Slug == "russia").Select(t => t.Id).SingleAsync();
        }
        Assert.Empty(await ListedTruth.MismatchesAsync(api.ConnectionString));
        var energyBefore = (await _public.GetJsonAsync("/v1/topics/energy")).GetProperty("articleCount").GetInt32();

        async Task<string> CreateAsync(string slug)
        {
            var created = await (await editor.PostJsonAsync("/v1/manage/articles", new
            {
                slug, title = $"Counting {slug}", sectionId = section, authorIds = new[] { author }, topicIds = new[] { topic }, body = "Counted.",
            })).ReadJsonAsync();
            return $"/v1/manage/articles/{created.GetProperty("id").GetGuid()}";
        }
        async Task StepAsync(string what, Func<Task> step)
        {
            await step();
            Assert.True((await ListedTruth.MismatchesAsync(api.ConnectionString)) is [], $"after {what}: {string.Join("; ", await ListedTruth.MismatchesAsync(api.ConnectionString))}");
        }
        async Task PostAsync(string url) => Assert.True((await editor.PostAsync(url, null)).IsSuccessStatusCode, url);

        var first = await CreateAsync("count-one");
        var second = await CreateAsync("count-two");
        var later = await CreateAsync("count-later");
        await StepAsync("creating drafts", () => Task.CompletedTask);
        await StepAsync("publishing", async () => { await PostAsync($"{first}/publish"); await PostAsync($"{second}/publish"); });
        Assert.Equal(energyBefore + 2, (await _public.GetJsonAsync("/v1/topics/energy")).GetProperty("articleCount").GetInt32());
        await StepAsync("retagging and re-bylining", async () =>
        {
            var (_, etag) = await editor.GetWithETagAsync(first);
            Assert.True((await editor.PatchJsonAsync(first, new { topicIds = new[] { otherTopic }, authorIds = new[] { otherAuthor, author } }, etag)).IsSuccessStatusCode);
        });
        await StepAsync("scheduling for next week", async () =>
            Assert.True((await editor.PostAsync($"{later}/schedule", ManageRequests.Json(new { publishAt = DateTimeOffset.UtcNow.AddDays(7) }))).IsSuccessStatusCode));
        // Kept counts include the scheduled article; what the public is told does not.
        Assert.Equal(energyBefore + 1, (await _public.GetJsonAsync("/v1/topics/energy")).GetProperty("articleCount").GetInt32());
        var list = await _public.GetJsonAsync("/v1/topics/energy/articles?limit=100");
        Assert.Equal(energyBefore + 1, list.GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal(await ListedTruth.NewestFirstAsync(api.ConnectionString, $"a.id IN (SELECT article_id FROM article_topics WHERE topic_id = '{topic}')"),
            list.GetProperty("items").Strings("slug"));
        await StepAsync("unpublishing", () => PostAsync($"{second}/unpublish"));
        await StepAsync("deleting", async () =>
        {
            var (_, etag) = await editor.GetWithETagAsync(first);
            Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync(first, etag)).StatusCode);
        });
        Assert.Equal(energyBefore, (await _public.GetJsonAsync("/v1/topics/energy")).GetProperty("articleCount").GetInt32());
        Assert.Equal(energyBefore, (await _public.GetJsonAsync("/v1/topics/energy/articles")).GetProperty("page").GetProperty("total").GetInt32());
    }
}

/// <summary>An archive of over 10,000 synthetic articles (archive-shaped: a few large topics and authors, many small).</summary>
public sealed class LargeArchiveApi() : ApiFactory(new ApiSettings { SyntheticArticles = Articles })
{
    public const int Articles = 10_100;
}

[Trait("Category", "Slow")]
public sealed class LargeArchiveTests(LargeArchiveApi api) : IClassFixture<LargeArchiveApi>
{
    private readonly HttpClient _client = api.ClientWithKey(null);

    private async Task<List<string>> WalkAsync(string url)
    {
        var slugs = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetJsonAsync(cursor is null ? url : $"{url}&cursor={cursor}");
            slugs.AddRange(page.GetProperty("items").Strings("slug"));
            cursor = page.GetProperty("page").GetProperty("next").GetString();
        } while (cursor is not null);
        return slugs;
    }

    private async Task<(string Slug, Guid Id)> LargestAsync(string kind)
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var key = await db.ListedCounts.Where(c => c.Kind == kind).OrderByDescending(c => c.Listed).Select(c => c.Key).FirstAsync();
        var slug = kind == ListedCount.Topic
            ? await db.Topics.Where(t => t.Id == key).Select(t => t.Slug).SingleAsync()
            : await db.Authors.Where(a => a.Id == key).Select(a => a.Slug).SingleAsync();
        return (slug, key);
    }

    [Fact]
    public async Task The_kept_counts_equal_a_recount_after_a_bulk_import()
    {
        Assert.Empty(await ListedTruth.MismatchesAsync(api.ConnectionString));
    }

    [Fact]
    public async Task Lists_the_database_keeps_a_count_for_give_their_exact_total_beyond_ten_thousand()
    {
        var all = await ListedTruth.NewestFirstAsync(api.ConnectionString, "true");
        Assert.True(all.Count > 10_000);
        var page = (await _client.GetJsonAsync("/v1/articles")).GetProperty("page");
        Assert.Equal(all.Count, page.GetProperty("total").GetInt32());
        Assert.True(page.GetProperty("totalIsExact").GetBoolean());
    }

    [Fact]
    public async Task Other_lists_count_up_to_ten_thousand_and_say_the_total_is_a_lower_bound()
    {
        var page = (await _client.GetJsonAsync("/v1/articles?publishedBefore=2999-01-01")).GetProperty("page");
        Assert.Equal(10_000, page.GetProperty("total").GetInt32());
        Assert.False(page.GetProperty("totalIsExact").GetBoolean());

        var section = (await _client.GetJsonAsync("/v1/articles?section=international-affairs&publishedAfter=2999-01-01")).GetProperty("page");
        Assert.Equal(0, section.GetProperty("total").GetInt32());
        Assert.True(section.GetProperty("totalIsExact").GetBoolean());
    }

    [Theory]
    [InlineData("topic", "-publishedAt")]
    [InlineData("topic", "publishedAt")]
    [InlineData("author", "-publishedAt")]
    public async Task The_largest_topics_and_authors_lists_page_through_every_article_in_order(string kind, string sort)
    {
        var (slug, id) = await LargestAsync(kind);
        var link = kind == "topic" ? "article_topics" : "article_authors";
        var expected = await ListedTruth.NewestFirstAsync(api.ConnectionString, $"a.id IN (SELECT article_id FROM {link} WHERE {kind}_id = '{id}')");
        if (sort == "publishedAt")
        {
            expected.Reverse();
        }
        Assert.True(expected.Count > 500, $"the largest {kind} has {expected.Count} articles");

        Assert.Equal(expected, await WalkAsync($"/v1/articles?{kind}={slug}&limit=100&sort={sort}"));
        var first = await _client.GetJsonAsync($"/v1/{kind}s/{slug}/articles");
        Assert.Equal(expected.Count, first.GetProperty("page").GetProperty("total").GetInt32());
        Assert.Equal(expected.Count, (await _client.GetJsonAsync($"/v1/{kind}s/{slug}")).GetProperty("articleCount").GetInt32());
    }

    [Fact]
    public async Task A_date_window_on_a_topic_keeps_only_that_window()
    {
        var (slug, id) = await LargestAsync(ListedCount.Topic);
        var expected = await ListedTruth.NewestFirstAsync(api.ConnectionString,
            $"a.id IN (SELECT article_id FROM article_topics WHERE topic_id = '{id}') AND a.published_at >= now() - interval '200 days' AND a.published_at < now() - interval '100 days'");
        var after = DateTimeOffset.UtcNow.AddDays(-200).ToString("O");
        var before = DateTimeOffset.UtcNow.AddDays(-100).ToString("O");
        var page = await _client.GetJsonAsync($"/v1/articles?topic={slug}&limit=100&publishedAfter={Uri.EscapeDataString(after)}&publishedBefore={Uri.EscapeDataString(before)}");
        Assert.Equal(expected.Take(100), page.GetProperty("items").Strings("slug"));
        Assert.Equal(expected.Count, page.GetProperty("page").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Every_topic_author_and_section_profile_counts_the_articles_its_list_holds()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var live = db.Articles.Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.PublishedAt <= now);
        var topics = await db.Topics.Select(t => new { t.Slug, Count = live.Count(a => a.Topics.Any(l => l.TopicId == t.Id)) })
            .ToDictionaryAsync(t => t.Slug, t => t.Count);
        var authors = await db.Authors.Select(x => new { x.Slug, Count = live.Count(a => a.Authors.Any(l => l.AuthorId == x.Id)) })
            .ToDictionaryAsync(x => x.Slug, x => x.Count);
        var sections = await db.Sections.Select(s => new { s.Slug, Count = live.Count(a => a.SectionId == s.Id) })
            .ToDictionaryAsync(s => s.Slug, s => s.Count);

        foreach (var (kind, expected) in new[] { ("topics", topics), ("authors", authors), ("sections", sections) })
        {
            var served = new Dictionary<string, int>();
            for (var page = 1; served.Count < expected.Count; page++)
            {
                foreach (var item in (await _client.GetJsonAsync($"/v1/{kind}?limit=100&page={page}")).GetProperty("items").EnumerateArray())
                {
                    served[item.GetProperty("slug").GetString()!] = item.GetProperty("articleCount").GetInt32();
                }
            }
            Assert.Equal(expected.OrderBy(p => p.Key), served.OrderBy(p => p.Key));
        }
    }
}
