using System.Net;
using System.Net.Http.Headers;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>The API with its delivery response cache on, as it runs in production.</summary>
public sealed class CachedApi() : ApiFactory(Settings)
{
    public static readonly ApiSettings Settings = new()
    {
        Configuration = new Dictionary<string, string?>
        {
            ["Delivery:ResponseCache"] = "true",
            ["Delivery:ResponseCacheSeconds"] = "600", // far longer than the test: only eviction can refresh
        },
    };
}

/// <summary>
/// Delivery answers are cached on the server, and every kind of write shows on every affected delivery endpoint at
/// the next request.
/// </summary>
public sealed class DeliveryCacheTests(CachedApi api) : IClassFixture<CachedApi>, IAsyncLifetime
{
    private const string Article = "venezuela-defies-the-us";
    private HttpClient _editor = null!;
    private readonly HttpClient _public = api.ClientWithKey(null);

    public async Task InitializeAsync() => _editor = api.ClientWithKey(await api.CreateKeyAsync("cache-editor", "content:write"));

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Url, string ETag)> ManagedAsync(string resource, string slug)
    {
        var url = await _editor.ManagedUrlAsync(resource, slug);
        var (_, etag) = await _editor.GetWithETagAsync(url);
        return (url, etag);
    }

    /// <summary>Reads every URL once (filling the cache), makes the write, then expects <paramref name="text"/> in each.</summary>
    private async Task AssertWriteShowsEverywhereAsync(string[] urls, Func<Task> write, string text)
    {
        foreach (var url in urls)
        {
            Assert.DoesNotContain(text, await _public.GetStringAsync(url), StringComparison.Ordinal);
        }
        await write();
        foreach (var url in urls)
        {
            Assert.True((await _public.GetStringAsync(url)).Contains(text, StringComparison.Ordinal), $"{url} still shows the old content");
        }
    }

    [Fact]
    public async Task Answers_come_from_the_cache_with_their_etag_until_something_is_written()
    {
        var first = await _public.GetAsync($"/v1/articles/{Article}");
        var etag = first.Headers.ETag!;
        var before = await first.Content.ReadAsStringAsync();

        // Changed behind the API's back: the cache does not know, so it keeps answering with what it has.
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET title = 'Changed behind the API' WHERE slug = '{Article}'");
        Assert.Equal(before, await _public.GetStringAsync($"/v1/articles/{Article}"));
        var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/v1/articles/{Article}");
        revalidate.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await _public.SendAsync(revalidate)).StatusCode);

        // A write through the API to something the article shows evicts it.
        var (url, tag) = await ManagedAsync("topics", "latin-america");
        await (await _editor.PatchJsonAsync(url, new { description = "Touched." }, tag)).ReadJsonAsync();
        Assert.Contains("Changed behind the API", await _public.GetStringAsync($"/v1/articles/{Article}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_article_edit_shows_on_its_page_lists_topic_and_author_pages_and_search()
    {
        var (url, etag) = await ManagedAsync("articles", Article);
        string[] urls = [$"/v1/articles/{Article}", "/v1/articles?limit=100", "/v1/topics/russia/articles?limit=100",
            "/v1/authors/cassie-b/articles?limit=100", "/v1/sections/international-affairs/articles?limit=100", "/v1/search?q=venezuela"];

        await AssertWriteShowsEverywhereAsync(urls,
            async () => await (await _editor.PatchJsonAsync(url, new { title = "Venezuela stands its ground" }, etag)).ReadJsonAsync(),
            "Venezuela stands its ground");
    }

    [Fact]
    public async Task Renaming_a_topic_an_author_a_section_or_a_work_shows_on_the_article()
    {
        string[] urls = [$"/v1/articles/{Article}"];
        var (topic, topicTag) = await ManagedAsync("topics", "sovereignty");
        await AssertWriteShowsEverywhereAsync([.. urls, "/v1/topics/sovereignty", "/v1/topics?limit=100"],
            async () => await (await _editor.PatchJsonAsync(topic, new { name = "Self-rule" }, topicTag)).ReadJsonAsync(), "Self-rule");

        var (author, authorTag) = await ManagedAsync("authors", "cassie-b");
        await AssertWriteShowsEverywhereAsync([.. urls, "/v1/authors/cassie-b", "/v1/articles?limit=100"],
            async () => await (await _editor.PatchJsonAsync(author, new { name = "Cassandra B." }, authorTag)).ReadJsonAsync(), "Cassandra B.");

        var (section, sectionTag) = await ManagedAsync("sections", "international-affairs");
        await AssertWriteShowsEverywhereAsync([.. urls, "/v1/sections/international-affairs"],
            async () => await (await _editor.PatchJsonAsync(section, new { name = "World affairs" }, sectionTag)).ReadJsonAsync(), "World affairs");

        var (work, workTag) = await ManagedAsync("works", "war-just-war");
        await AssertWriteShowsEverywhereAsync([.. urls, "/v1/works/war-just-war", "/v1/works?limit=100"],
            async () => await (await _editor.PatchJsonAsync(work, new { title = "War, just war?" }, workTag)).ReadJsonAsync(), "War, just war?");
    }

    [Fact]
    public async Task Unpublishing_removes_the_article_from_its_page_and_lists_at_once()
    {
        var (url, _) = await ManagedAsync("articles", "the-organ-at-saint-maurice");
        Assert.Contains("the-organ-at-saint-maurice", await _public.GetStringAsync("/v1/articles?limit=100"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _public.GetAsync("/v1/articles/the-organ-at-saint-maurice")).StatusCode);

        await (await _editor.PostAsync($"{url}/unpublish", null)).ReadJsonAsync();

        Assert.DoesNotContain("the-organ-at-saint-maurice", await _public.GetStringAsync("/v1/articles?limit=100"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _public.GetAsync("/v1/articles/the-organ-at-saint-maurice")).StatusCode);
    }

    [Fact]
    public async Task A_scheduled_article_appears_in_cached_lists_when_it_goes_live()
    {
        var (url, _) = await ManagedAsync("articles", "the-long-memory-of-lepanto");
        await (await _editor.PostAsync($"{url}/unpublish", null)).ReadJsonAsync();
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(3);
        await (await _editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt }))).ReadJsonAsync();
        Assert.DoesNotContain("the-long-memory-of-lepanto", await _public.GetStringAsync("/v1/articles?limit=100"), StringComparison.Ordinal);

        // No write happens at publishAt: the scheduler's own eviction must refresh the cached list.
        var listed = false;
        for (var attempt = 0; attempt < 100 && !listed; attempt++)
        {
            await Task.Delay(200);
            listed = (await _public.GetStringAsync("/v1/articles?limit=100")).Contains("the-long-memory-of-lepanto", StringComparison.Ordinal);
        }
        Assert.True(listed, "the scheduled article never appeared in the cached list");
        Assert.True(DateTimeOffset.UtcNow >= publishAt);
    }

    /// <summary>
    /// Each URL is read with a key first, while the cache holds nothing for it, then the article changes behind the
    /// API's back (no eviction), then the same URL is read anonymously. Had the keyed answer been stored, the anonymous
    /// caller would get it: the old title, with its private Cache-Control.
    /// </summary>
    [Fact]
    public async Task A_keyed_answer_is_never_stored_and_served_to_an_anonymous_caller()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("cache-reader", "content:preview"));
        string[] urls = [$"/v1/articles/{Article}", "/v1/articles?limit=100&sort=title"];
        var round = 0;
        foreach (var url in urls)
        {
            var before = $"Keyed read {++round}";
            await SetTitleBehindTheApiAsync(before);
            await EvictAsync();
            var keyed = await reader.GetAsync(url);
            Assert.True(keyed.Headers.CacheControl is { Private: true, NoStore: true }, $"{url}: {keyed.Headers.CacheControl}");
            Assert.Contains(before, await keyed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var after = $"Anonymous read {round}";
            await SetTitleBehindTheApiAsync(after);
            var anonymous = await _public.GetAsync(url);
            Assert.True(anonymous.Headers.CacheControl is { Public: true }, $"{url} was answered with the keyed answer's {anonymous.Headers.CacheControl}");
            Assert.Contains(after, await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // The anonymous answer is stored: the cache is on, so the check above is not passing for want of one.
            await SetTitleBehindTheApiAsync($"Unseen {round}");
            Assert.Contains(after, await _public.GetStringAsync(url), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_preview_answer_is_never_stored_and_served_to_an_anonymous_caller()
    {
        var previewer = api.ClientWithKey(await api.CreateKeyAsync("cache-previewer", "content:preview"));
        const string url = "/v1/articles/notes-on-a-draft-about-harvests?preview=true";
        await EvictAsync();

        var preview = await previewer.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.True(preview.Headers.CacheControl is { Private: true, NoStore: true });

        // The same address without a key: a stored preview would hand the draft out; the API must refuse instead.
        await (await _public.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_keyed_caller_is_never_served_an_anonymous_answer_from_the_cache()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("cache-keyed", "content:preview"));
        const string url = "/v1/articles?limit=100&sort=-publishedAt";
        await SetTitleBehindTheApiAsync("Filled anonymously");
        await EvictAsync();
        Assert.Contains("Filled anonymously", await _public.GetStringAsync(url), StringComparison.Ordinal);

        await SetTitleBehindTheApiAsync("Read with a key");
        var keyed = await reader.GetAsync(url);
        Assert.True(keyed.Headers.CacheControl is { Private: true, NoStore: true });
        Assert.Contains("Read with a key", await keyed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Filled anonymously", await _public.GetStringAsync(url), StringComparison.Ordinal); // the cache did work
    }

    private Task SetTitleBehindTheApiAsync(string title) =>
        TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET title = '{title}' WHERE slug = '{Article}'");

    /// <summary>Empties the cache the way production does: any write through the API evicts every delivery answer.</summary>
    /// <summary>A write to a topic the article shows: it evicts the article's page and every list.</summary>
    private async Task EvictAsync()
    {
        var (url, tag) = await ManagedAsync("topics", "latin-america");
        await (await _editor.PatchJsonAsync(url, new { description = $"Touched {Guid.NewGuid()}." }, tag)).ReadJsonAsync();
    }
}
