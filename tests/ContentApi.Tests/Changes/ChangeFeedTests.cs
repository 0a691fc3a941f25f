using System.Net;
using System.Text.Json;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Changes;

public sealed class ChangeFeedTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _public = api.ClientWithKey(null);

    /// <summary>A partner's copy of the public content, built from the change feed alone: (type, id) to (slug, version).</summary>
    private sealed class Mirror
    {
        public Dictionary<(string Type, Guid Id), (string Slug, int Version)> Items { get; } = [];
        public string? Cursor { get; private set; }
        public long LastSequence { get; private set; }

        public async Task<int> FollowAsync(HttpClient client)
        {
            var applied = 0;
            while (true)
            {
                var page = await client.GetJsonAsync("/v1/changes?limit=37" + (Cursor is null ? "" : $"&cursor={Cursor}"));
                foreach (var change in page.GetProperty("items").EnumerateArray())
                {
                    var sequence = change.GetProperty("sequence").GetInt64();
                    Assert.True(sequence > LastSequence, $"sequence {sequence} came after {LastSequence}");
                    LastSequence = sequence;
                    var key = (change.GetProperty("type").GetString()!, change.GetProperty("id").GetGuid());
                    if (change.GetProperty("action").GetString() is "deleted" or "unpublished")
                    {
                        Items.Remove(key);
                    }
                    else
                    {
                        Items[key] = (change.GetProperty("slug").GetString()!, change.GetProperty("version").GetInt32());
                    }
                    applied++;
                }
                Cursor = page.GetProperty("next").GetString();
                if (!page.GetProperty("hasMore").GetBoolean())
                {
                    return applied;
                }
            }
        }
    }

    /// <summary>What the partner should have: every author, section, topic and work, and every published article.</summary>
    private async Task<Dictionary<(string Type, Guid Id), (string Slug, int Version)>> SourceAsync()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var source = new Dictionary<(string, Guid), (string, int)>();
        foreach (var a in await db.Articles.Where(a => a.Status == ContentStatus.Published && a.PublishedAt <= now).Select(a => new { a.Id, a.Slug, a.Version }).ToListAsync())
        {
            source[("article", a.Id)] = (a.Slug, a.Version);
        }
        foreach (var a in await db.Authors.Select(a => new { a.Id, a.Slug, a.Version }).ToListAsync())
        {
            source[("author", a.Id)] = (a.Slug, a.Version);
        }
        foreach (var s in await db.Sections.Select(s => new { s.Id, s.Slug, s.Version }).ToListAsync())
        {
            source[("section", s.Id)] = (s.Slug, s.Version);
        }
        foreach (var t in await db.Topics.Select(t => new { t.Id, t.Slug, t.Version }).ToListAsync())
        {
            source[("topic", t.Id)] = (t.Slug, t.Version);
        }
        foreach (var w in await db.Works.Select(w => new { w.Id, w.Slug, w.Version }).ToListAsync())
        {
            source[("work", w.Id)] = (w.Slug, w.Version);
        }
        return source;
    }

    [Fact]
    public async Task A_mirror_that_follows_the_feed_through_hundreds_of_concurrent_changes_equals_the_source()
    {
        var mirror = new Mirror();
        await mirror.FollowAsync(_public);
        Assert.Equal(await SourceAsync(), mirror.Items);

        var editor = api.ClientWithKey(await api.CreateKeyAsync("chaos", "content:write"));
        var articles = (await editor.GetJsonAsync("/v1/manage/articles?limit=100")).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("id").GetGuid()).ToList();
        var section = (await editor.GetJsonAsync("/v1/manage/sections")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var author = (await editor.GetJsonAsync("/v1/manage/authors")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var statuses = new Dictionary<int, int>();

        // Four workers, 60 random changes each, all at once: creates, renames, lifecycle moves and deletes.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var mine = new List<string>();
            for (var i = 0; i < 60; i++)
            {
                HttpResponseMessage response;
                switch (random.Next(6))
                {
                    case 0:
                        response = await editor.PostJsonAsync("/v1/manage/topics", new { slug = $"t-{worker}-{i}", name = $"Topic {worker} {i}" });
                        if (response.IsSuccessStatusCode)
                        {
                            mine.Add(response.Headers.Location!.OriginalString);
                        }
                        break;
                    case 1 when mine.Count > 0:
                        var url = mine[random.Next(mine.Count)];
                        var (_, etag) = await editor.GetWithETagAsync(url);
                        response = await editor.PatchJsonAsync(url, new { slug = $"t-{worker}-{i}-renamed" }, etag);
                        break;
                    case 2 when mine.Count > 0:
                        var gone = mine[random.Next(mine.Count)];
                        mine.Remove(gone);
                        response = await editor.DeleteAsync(gone, (await editor.GetAsync(gone)).Headers.ETag!.ToString());
                        break;
                    case 3:
                        response = await editor.PostJsonAsync("/v1/manage/articles",
                            new { slug = $"a-{worker}-{i}", title = $"Article {worker} {i}", sectionId = section, authorIds = new[] { author }, body = "Text." });
                        if (response.IsSuccessStatusCode && random.Next(2) == 0)
                        {
                            response = await editor.PostAsync($"{response.Headers.Location}/publish", null);
                        }
                        break;
                    default:
                        var article = articles[random.Next(articles.Count)];
                        var action = new[] { "publish", "unpublish", "archive", "publish" }[random.Next(4)];
                        response = await editor.PostAsync($"/v1/manage/articles/{article}/{action}", null);
                        break;
                }
                lock (statuses)
                {
                    statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                }
            }
        })));

        output.WriteLine("statuses of the random changes: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        Assert.DoesNotContain(statuses.Keys, status => status >= 500);
        var applied = await mirror.FollowAsync(_public);
        output.WriteLine($"{applied} changes followed after the random ones");
        Assert.True(applied >= 150, $"only {applied} changes were followed");
        Assert.Equal(await SourceAsync(), mirror.Items);
    }

    [Fact]
    public async Task A_writer_that_commits_late_is_not_skipped_writers_queue_behind_it()
    {
        var mirror = new Mirror();
        await mirror.FollowAsync(_public);
        var editor = api.ClientWithKey(await api.CreateKeyAsync("late", "content:write"));

        // A transaction takes its place in the commit order and holds it, as a slow write would.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var slow = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock({ContentApi.Changes.ContentChanges.CommitOrderLock}); " +
            "INSERT INTO content_changes (at, resource_type, action, resource_id, slug, version) " +
            "SELECT now(), 'topic', 'updated', id, slug, version FROM topics WHERE slug = 'history'", connection, slow))
        {
            await command.ExecuteNonQueryAsync();
        }

        // A second write starts meanwhile; it must wait for the first to commit before it can take a sequence.
        var fast = editor.PostJsonAsync("/v1/manage/topics", new { slug = "fast-writer", name = "Fast" });
        await Task.Delay(500);
        Assert.False(fast.IsCompleted, "the second writer committed while the first still held its place");
        Assert.Equal(0, await mirror.FollowAsync(_public)); // nothing visible yet: no gap to skip over

        await slow.CommitAsync();
        Assert.Equal(HttpStatusCode.Created, (await fast).StatusCode);
        var before = mirror.LastSequence;
        Assert.Equal(2, await mirror.FollowAsync(_public));
        Assert.True(mirror.LastSequence > before);
        Assert.Equal(await SourceAsync(), mirror.Items);
    }

    [Fact]
    public async Task The_feed_filters_by_type_and_refuses_bad_cursors_and_types()
    {
        var articles = await _public.GetJsonAsync("/v1/changes?types=article&limit=1000");
        Assert.All(articles.GetProperty("items").EnumerateArray(), c => Assert.Equal("article", c.GetProperty("type").GetString()));
        Assert.NotEmpty(articles.GetProperty("items").EnumerateArray());

        var twoKinds = await _public.GetJsonAsync("/v1/changes?types=author,topic&limit=1000");
        Assert.Equal(["author", "topic"], twoKinds.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("type").GetString()).Distinct().Order());

        await (await _public.GetAsync("/v1/changes?cursor=nonsense")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _public.GetAsync("/v1/changes?types=article,comment")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _public.GetAsync("/v1/changes?limit=5000")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // At the end, next is the current position: polling it again gives nothing until something changes.
        var end = await _public.GetJsonAsync("/v1/changes?limit=1000");
        var again = await _public.GetJsonAsync($"/v1/changes?cursor={end.GetProperty("next").GetString()}");
        Assert.Empty(again.GetProperty("items").EnumerateArray());
        Assert.False(again.GetProperty("hasMore").GetBoolean());
        Assert.Equal(end.GetProperty("next").GetString(), again.GetProperty("next").GetString());
    }
}
