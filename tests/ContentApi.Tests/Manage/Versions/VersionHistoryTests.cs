using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Http;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Manage.Versions;

/// <summary>Every committed change keeps a version; any version can be read, compared and restored as a new one.</summary>
public sealed class VersionHistoryTests(CachedApi api) : IClassFixture<CachedApi>, IAsyncLifetime
{
    // The fields a PUT writes: what a restore brings back.
    private static readonly string[] ArticleFields =
        ["slug", "title", "dek", "sectionId", "authorIds", "topicIds", "relatedWorkIds", "excerpt", "image", "canonicalUrl",
         "originalPublication", "body", "figures"];

    private HttpClient _editor = null!;

    public async Task InitializeAsync() => _editor = api.ClientWithKey(await api.CreateKeyAsync("historian", "content:write"));

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> IdOfAsync(string kind, string slug) => (await _editor.ManagedUrlAsync(kind, slug)).Split('/')[^1];

    private async Task<(string Url, JsonElement Body)> CreateArticleAsync(string slug, object? topicIds = null, string body = "First line.\nSecond line.")
    {
        var response = await _editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug, title = "Versioned", sectionId = await IdOfAsync("sections", "international-affairs"),
            authorIds = new[] { await IdOfAsync("authors", "cassie-b") }, topicIds, body,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (response.Headers.Location!.OriginalString, await response.ReadJsonAsync());
    }

    private Task<HttpResponseMessage> RestoreAsync(string url, int version, string? ifMatch) =>
        _editor.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{url}/versions/{version}/restore")
        {
            Headers = { { "If-Match", ifMatch ?? "" } },
        });

    private static JsonObject Fields(JsonElement resource) =>
        new(ArticleFields.Select(f => KeyValuePair.Create(f, JsonNode.Parse(resource.GetProperty(f).GetRawText()))));

    [Fact]
    public async Task Fifty_random_edits_then_restoring_each_version_brings_back_exactly_that_version()
    {
        var topics = await Task.WhenAll(new[] { "russia", "china" }.Select(s => IdOfAsync("topics", s)));
        var (url, created) = await CreateArticleAsync("fifty-edits");
        var seen = new Dictionary<int, JsonElement> { [1] = created };
        var random = new Random(15);
        var etag = "\"1\"";
        for (var edit = 0; edit < 50; edit++)
        {
            var current = seen[seen.Keys.Max()];
            var lines = current.GetProperty("body").GetString()!.Split('\n').ToList();
            var patch = new JsonObject();
            switch (random.Next(5))
            {
                case 0:
                    patch["title"] = $"Title {edit} {random.Next(1000)}";
                    break;
                case 1:
                    patch["dek"] = random.Next(3) == 0 ? null : $"Dek {edit}";
                    break;
                case 2:
                    lines.Insert(random.Next(lines.Count + 1), $"Line added by edit {edit}.");
                    patch["body"] = string.Join('\n', lines);
                    break;
                case 3:
                    if (lines.Count > 1)
                    {
                        lines.RemoveAt(random.Next(lines.Count));
                    }
                    patch["body"] = string.Join('\n', lines) + (random.Next(2) == 0 ? $"\nTail {edit}." : "");
                    break;
                default:
                    patch["topicIds"] = new JsonArray(topics.Where(_ => random.Next(2) == 0).Select(t => (JsonNode)t).ToArray());
                    patch["slug"] = $"fifty-edits-{random.Next(3)}";
                    break;
            }
            var response = await _editor.PatchJsonAsync(url, patch, etag);
            var body = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            etag = response.Headers.ETag!.ToString();
            seen[body.GetProperty("version").GetInt32()] = body;
        }
        Assert.Equal(51, seen.Count);

        var list = await _editor.GetJsonAsync($"{url}/versions?limit=100");
        Assert.Equal(Enumerable.Range(1, 51).Reverse(), list.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        foreach (var (version, body) in seen)
        {
            var stored = await _editor.GetJsonAsync($"{url}/versions/{version}");
            Assert.Equal(body.GetRawText(), stored.GetProperty("resource").GetRawText()); // byte for byte what the write answered
        }

        foreach (var version in seen.Keys.OrderBy(_ => random.Next()).ToList())
        {
            var response = await RestoreAsync(url, version, etag);
            var restored = await response.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            etag = response.Headers.ETag!.ToString();
            Assert.True(JsonNode.DeepEquals(Fields(seen[version]), Fields(restored)), $"restoring version {version} gave {restored}");
        }
        // Restores add versions; none is rewritten.
        var after = await _editor.GetJsonAsync($"{url}/versions?limit=1");
        Assert.Equal(102, after.GetProperty("items")[0].GetProperty("version").GetInt32());
        Assert.Equal("restore", after.GetProperty("items")[0].GetProperty("action").GetString());
        Assert.Equal("historian", after.GetProperty("items")[0].GetProperty("keyName").GetString());
        Assert.Equal(seen[1].GetRawText(), (await _editor.GetJsonAsync($"{url}/versions/1")).GetProperty("resource").GetRawText());
    }

    [Fact]
    public async Task A_restore_and_an_edit_racing_from_one_version_give_412_to_one_of_them()
    {
        var (url, _) = await CreateArticleAsync("raced-restore");
        var etag = "\"1\"";
        for (var round = 0; round < 6; round++)
        {
            var edit = _editor.PatchJsonAsync(url, new { title = $"Round {round}" }, etag);
            var restore = RestoreAsync(url, 1, etag);
            var statuses = (await Task.WhenAll(edit, restore)).Select(r => r.StatusCode).ToList();
            Assert.Contains(HttpStatusCode.OK, statuses);
            Assert.Contains(HttpStatusCode.PreconditionFailed, statuses);
            etag = (await _editor.GetWithETagAsync(url)).ETag;
        }
        var (final, _) = await _editor.GetWithETagAsync(url);
        Assert.Equal(7, final.GetProperty("version").GetInt32()); // one write per round
        var versions = await _editor.GetJsonAsync($"{url}/versions");
        Assert.Equal(7, versions.GetProperty("page").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_restored_article_is_served_by_delivery_at_once_and_announced_as_an_edit()
    {
        const string slug = "venezuela-defies-the-us";
        var url = await _editor.ManagedUrlAsync("articles", slug);
        var (_, etag) = await _editor.GetWithETagAsync(url);
        var first = await _editor.PatchJsonAsync(url, new { title = "The title to come back to" }, etag);
        var kept = (await first.ReadJsonAsync()).GetProperty("version").GetInt32();
        var second = await _editor.PatchJsonAsync(url, new { title = "A title to undo" }, first.Headers.ETag!.ToString());
        var reader = api.ClientWithKey(null);
        Assert.Equal("A title to undo", (await reader.GetJsonAsync($"/v1/articles/{slug}")).GetProperty("title").GetString()); // cached now

        var response = await RestoreAsync(url, kept, second.Headers.ETag!.ToString());
        var restored = await response.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(kept + 2, restored.GetProperty("version").GetInt32());
        Assert.Equal("The title to come back to", (await reader.GetJsonAsync($"/v1/articles/{slug}")).GetProperty("title").GetString());
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var id = Guid.Parse(url.Split('/')[^1]);
        Assert.Equal("updated", await db.ContentChanges.Where(c => c.ResourceId == id && c.Version == kept + 2).Select(c => c.Action).SingleAsync());
        Assert.Equal("restore", await db.AuditLog.Where(a => a.ResourceId == id && a.Version == kept + 2).Select(a => a.Action).SingleAsync());
    }

    [Fact]
    public async Task Restoring_an_article_whose_topic_was_deleted_since_is_a_409_naming_the_topic()
    {
        var topic = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "short-lived", name = "Short-lived" });
        var topicId = (await topic.ReadJsonAsync()).GetProperty("id").GetString()!;
        var (url, _) = await CreateArticleAsync("once-about-short-lived", topicIds: new[] { topicId });
        var untagged = await _editor.PatchJsonAsync(url, new { topicIds = Array.Empty<string>() }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, untagged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync(topic.Headers.Location!.OriginalString, "\"1\"")).StatusCode);

        var problem = await (await RestoreAsync(url, 1, "\"2\"")).AssertProblemAsync(HttpStatusCode.Conflict);

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(topicId, detail, StringComparison.Ordinal);
        Assert.Contains("topicIds[0]", detail, StringComparison.Ordinal);
        var (article, _) = await _editor.GetWithETagAsync(url);
        Assert.Equal(2, article.GetProperty("version").GetInt32()); // nothing written
    }

    [Fact]
    public async Task Restore_needs_the_current_ETag()
    {
        var (url, _) = await CreateArticleAsync("restore-preconditions");
        await (await RestoreAsync(url, 1, null)).AssertProblemAsync((HttpStatusCode)428);
        await (await RestoreAsync(url, 1, "\"7\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await RestoreAsync(url, 9, "\"1\"")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await RestoreAsync(url, 1, "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task A_restore_keeps_the_current_embargo_end_as_it_keeps_the_status()
    {
        var (url, _) = await CreateArticleAsync("restore-keeps-its-end");
        Assert.Equal(HttpStatusCode.OK, (await _editor.PostAsync($"{url}/publish", null)).StatusCode);
        var end = DateTimeOffset.UtcNow.AddDays(30);
        Assert.Equal(HttpStatusCode.OK, (await _editor.PatchJsonAsync(url, new { unpublishAt = end }, "\"2\"")).StatusCode);

        var restored = await RestoreAsync(url, 1, "\"3\"");

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        var body = await restored.ReadJsonAsync();
        Assert.Equal("published", body.GetProperty("status").GetString());
        Assert.Equal(end.ToUnixTimeSeconds(), body.GetProperty("unpublishAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_diff_names_each_changed_field_and_the_body_lines_added_and_removed()
    {
        var (url, _) = await CreateArticleAsync("diffed", body: "One.\nTwo.\nThree.\nFour.");
        await _editor.PatchJsonAsync(url, new { title = "Diffed", body = "One.\nThree.\nThree and a half.\nFour." }, "\"1\"");

        var diff = await _editor.GetJsonAsync($"{url}/versions/1/diff/2");

        Assert.Equal(1, diff.GetProperty("from").GetInt32());
        Assert.Equal(2, diff.GetProperty("to").GetInt32());
        var fields = diff.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("field").GetString()!);
        Assert.Contains("title", fields.Keys);
        Assert.Contains("body", fields.Keys);
        Assert.DoesNotContain("slug", fields.Keys);
        Assert.Empty(fields.Keys.Intersect(["version", "updatedAt", "bodyHtml"]));
        Assert.Equal("Versioned", fields["title"].GetProperty("before").GetString());
        Assert.Equal("Diffed", fields["title"].GetProperty("after").GetString());
        Assert.Equal(JsonValueKind.Null, fields["title"].GetProperty("lines").ValueKind);
        var lines = fields["body"].GetProperty("lines");
        Assert.True(lines.GetProperty("exact").GetBoolean());
        Assert.Equal(["removed 2 Two.", "added 3 Three and a half."], lines.GetProperty("changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("change").GetString()} {c.GetProperty("line").GetInt32()} {c.GetProperty("text").GetString()}"));
        // Backwards is the mirror image; a version against itself has no differences.
        Assert.Equal(fields.Count, (await _editor.GetJsonAsync($"{url}/versions/2/diff/1")).GetProperty("fields").GetArrayLength());
        Assert.Equal(0, (await _editor.GetJsonAsync($"{url}/versions/2/diff/2")).GetProperty("fields").GetArrayLength());
    }

    [Fact]
    public async Task A_body_too_changed_to_compare_line_by_line_gets_the_coarse_diff_not_an_error()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"Old line {i}."));
        var after = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"New line {i}."));
        var (url, _) = await CreateArticleAsync("rewritten", body: before);
        await _editor.PatchJsonAsync(url, new { body = after }, "\"1\"");

        var body = (await _editor.GetJsonAsync($"{url}/versions/1/diff/2")).GetProperty("fields").EnumerateArray()
            .Single(f => f.GetProperty("field").GetString() == "body").GetProperty("lines");

        Assert.False(body.GetProperty("exact").GetBoolean());
        Assert.Equal(6000, body.GetProperty("changes").GetArrayLength());
    }

    [Fact]
    public async Task A_deleted_topic_keeps_its_history_but_cannot_be_restored()
    {
        var created = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "deleted-with-history", name = "Before" });
        var url = created.Headers.Location!.OriginalString;
        await _editor.PatchJsonAsync(url, new { name = "After" }, "\"1\"");
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync(url, "\"2\"")).StatusCode);

        var versions = await _editor.GetJsonAsync($"{url}/versions");
        Assert.Equal([2, 1], versions.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("Before", (await _editor.GetJsonAsync($"{url}/versions/1")).GetProperty("resource").GetProperty("name").GetString());
        await (await RestoreAsync(url, 1, "\"2\"")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _editor.GetAsync($"/v1/manage/topics/{Guid.NewGuid()}/versions")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _editor.GetAsync($"{url}/versions/abc")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _editor.GetAsync($"{url}/versions/0/diff/1")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task History_pages_newest_first_by_cursor()
    {
        var created = await _editor.PostJsonAsync("/v1/manage/sections", new { slug = "paged-history", name = "v1" });
        var url = created.Headers.Location!.OriginalString;
        for (var version = 1; version < 5; version++)
        {
            await _editor.PatchJsonAsync(url, new { name = $"v{version + 1}" }, $"\"{version}\"");
        }
        var seen = new List<int>();
        var next = $"{url}/versions?limit=2";
        while (next is not null)
        {
            var page = await _editor.GetJsonAsync(next);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
            next = page.GetProperty("page").GetProperty("next").GetString() is { } cursor ? $"{url}/versions?limit=2&cursor={cursor}" : null;
        }
        Assert.Equal([5, 4, 3, 2, 1], seen);
    }
}
