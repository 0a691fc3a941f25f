using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Manage.Topics;

/// <summary>The write rules every resource shares, shown on topics (the smallest resource).</summary>
public sealed class TopicWriteTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _editor = null!;
    private readonly HttpClient _public = api.ClientWithKey(null);

    public async Task InitializeAsync() => _editor = api.ClientWithKey(await api.CreateKeyAsync("topic-editor", "content:write"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_the_topic_then_delivery_shows_it()
    {
        var response = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "oceans", name = "Oceans", description = "Seas and shores." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/v1/manage/topics/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true });

        var delivered = await _public.GetJsonAsync("/v1/topics/oceans");
        Assert.Equal("Oceans", delivered.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once()
    {
        var response = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "Not A Slug", name = "", description = new string('x', 2001) });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("slug", out _));
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task A_taken_slug_is_a_409()
    {
        // Not "russia": another test here renames it, and test order within a class is not fixed.
        var response = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "energy", name = "Energy again" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("energy", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_needs_if_match_428_without_412_when_stale_and_bumps_the_version()
    {
        var created = await (await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "rivers", name = "Rivers" })).ReadJsonAsync();
        var url = $"/v1/manage/topics/{created.GetProperty("id").GetGuid()}";

        await (await _editor.PutJsonAsync(url, new { slug = "rivers", name = "Rivers and lakes" }, null)).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        await (await _editor.PutJsonAsync(url, new { slug = "rivers", name = "Rivers and lakes" }, "\"7\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);

        var replaced = await _editor.PutJsonAsync(url, new { slug = "rivers", name = "Rivers and lakes" }, "\"1\"");
        var body = await replaced.ReadJsonAsync();
        Assert.Equal("Rivers and lakes", body.GetProperty("name").GetString());
        Assert.Equal(2, body.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", replaced.Headers.ETag?.ToString());

        // The ETag the client had is now stale.
        await (await _editor.PutJsonAsync(url, new { slug = "rivers", name = "Rivers" }, "\"1\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Merge_patch_changes_only_what_it_names_and_null_clears()
    {
        var created = await (await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "deserts", name = "Deserts", description = "Dry lands." })).ReadJsonAsync();
        var url = $"/v1/manage/topics/{created.GetProperty("id").GetGuid()}";

        var renamed = await (await _editor.PatchJsonAsync(url, new { name = "Deserts and steppes" }, "\"1\"")).ReadJsonAsync();
        Assert.Equal("Deserts and steppes", renamed.GetProperty("name").GetString());
        Assert.Equal("Dry lands.", renamed.GetProperty("description").GetString());
        Assert.Equal("deserts", renamed.GetProperty("slug").GetString());

        var cleared = await (await _editor.PatchJsonAsync(url, "{\"description\": null}", "\"2\"")).ReadJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task A_renamed_slug_answers_301_on_the_delivery_api()
    {
        var url = $"/v1/manage/topics/{await FindAsync("russia")}";
        var (_, etag) = await _editor.GetWithETagAsync(url);

        await (await _editor.PatchJsonAsync(url, new { slug = "russian-federation" }, etag)).ReadJsonAsync();

        var old = await _public.GetAsync("/v1/topics/russia");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/v1/topics/russian-federation", old.Headers.Location?.OriginalString);
        Assert.Equal("Russia", (await _public.GetJsonAsync("/v1/topics/russian-federation")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Deleting_a_topic_in_use_is_a_409_naming_the_articles_and_an_unused_one_goes()
    {
        var used = await FindAsync("latin-america");
        var (_, etag) = await _editor.GetWithETagAsync($"/v1/manage/topics/{used}");
        var refused = await _editor.DeleteAsync($"/v1/manage/topics/{used}", etag);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Matches(@"used by \d+ articles \(", problem.GetProperty("detail").GetString());

        var created = await (await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "glaciers", name = "Glaciers" })).ReadJsonAsync();
        var url = $"/v1/manage/topics/{created.GetProperty("id").GetGuid()}";
        await (await _editor.DeleteAsync(url, null)).AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync(url, "\"1\"")).StatusCode);
        await (await _editor.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _public.GetAsync("/v1/topics/glaciers")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bodies_that_are_not_json_objects_of_the_right_media_type_and_size_are_refused()
    {
        var wrongType = await _editor.PostAsync("/v1/manage/topics", new StringContent("slug=x&name=y", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        await wrongType.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);

        var malformed = await _editor.PostJsonAsync("/v1/manage/topics", "{\"slug\": \"x\", ");
        var problem = await malformed.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var wrongValue = await _editor.PostJsonAsync("/v1/manage/topics", "{\"slug\": \"x\", \"name\": 42}");
        var typed = await wrongValue.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(typed.GetProperty("errors").TryGetProperty("name", out _), typed.ToString());

        var huge = await _editor.PostJsonAsync("/v1/manage/topics", new { slug = "huge", name = "Huge", description = new string('x', 1_100_000) });
        await huge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        var array = await _editor.PostJsonAsync("/v1/manage/topics", "[1, 2]");
        await array.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<Guid> FindAsync(string slug)
    {
        var list = await _editor.GetJsonAsync("/v1/manage/topics?limit=100");
        return list.GetProperty("items").EnumerateArray().First(t => t.GetProperty("slug").GetString() == slug).GetProperty("id").GetGuid();
    }
}
