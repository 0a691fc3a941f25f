using System.Text.Json;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>The API with its response cache, a CDN lifetime, and webhooks sent fast to loopback receivers.</summary>
public sealed class CdnApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?>
    {
        ["Delivery:ResponseCache"] = "true",
        ["Delivery:ResponseCacheSeconds"] = "600",
        ["Delivery:CdnCacheControl"] = "max-age=86400",
        ["Webhooks:DispatcherEnabled"] = "true",
        ["Webhooks:AllowPrivateNetworks"] = "true",
        ["Webhooks:PollMilliseconds"] = "100",
    },
});

/// <summary>
/// A CDN in front can purge exactly what a change made stale: delivery answers name their cache tags in Surrogate-Key
/// and Cache-Tag, and each change's webhook event carries the tags it makes stale, once per endpoint.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CdnTagTests(CdnApi api) : IClassFixture<CdnApi>
{
    private const string Edited = "venezuela-defies-the-us";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly HttpClient _public = api.ClientWithKey(null);

    private async Task<HashSet<string>> SurrogateKeysAsync(string url)
    {
        using var response = await _public.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var keys = response.Headers.GetValues("Surrogate-Key").Single().Split(' ');
        Assert.Equal(string.Join(',', keys), response.Headers.GetValues("Cache-Tag").Single());
        Assert.Equal("max-age=86400", response.Headers.GetValues("Surrogate-Control").Single());
        Assert.Equal("max-age=86400", response.Headers.GetValues("CDN-Cache-Control").Single());
        return [.. keys];
    }

    private static JsonElement Data(WebhookReceiver.Received received) => JsonDocument.Parse(received.Body).RootElement.GetProperty("data");

    [Fact]
    public async Task A_change_s_webhook_names_the_keys_of_the_answers_it_made_stale_and_no_others()
    {
        var admin = api.ClientWithKey(await api.CreateKeyAsync("cdn-admin", "admin"));
        await using var receiver = await WebhookReceiver.StartAsync();
        var registered = await admin.PostJsonAsync("/v1/manage/webhooks", new { url = receiver.Url, eventTypes = new[] { "article.updated", "author.updated" } });
        registered.EnsureSuccessStatusCode();

        var edited = await SurrogateKeysAsync($"/v1/articles/{Edited}");
        Assert.Equal(edited, await SurrogateKeysAsync($"/v1/articles/{Edited}")); // the cached copy says the same
        var list = await SurrogateKeysAsync("/v1/articles");
        var unrelated = await UnrelatedArticleKeysAsync(edited);

        var article = await admin.ManagedUrlAsync("articles", Edited);
        var (_, articleETag) = await admin.GetWithETagAsync(article);
        Assert.True((await admin.PatchJsonAsync(article, new { title = "A purged correction" }, articleETag)).IsSuccessStatusCode);
        var shown = await _public.GetJsonAsync($"/v1/articles/{Edited}");
        var author = await admin.ManagedUrlAsync("authors", shown.GetProperty("authors")[0].GetProperty("slug").GetString()!);
        var (_, authorETag) = await admin.GetWithETagAsync(author);
        Assert.True((await admin.PatchJsonAsync(author, new { name = "A purged author" }, authorETag)).IsSuccessStatusCode);

        await receiver.WaitForAsync(r => r.Count >= 2, Patience, "the article's and the author's events");
        foreach (var received in receiver.Requests)
        {
            var tags = Data(received).GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToHashSet();
            var id = Data(received).GetProperty("id").GetGuid();
            Assert.Contains($"{Data(received).GetProperty("type").GetString()}:{id}", tags);
            Assert.True(tags.Overlaps(edited), $"purging {string.Join(' ', tags)} leaves the edited article ({string.Join(' ', edited)})");
            Assert.True(tags.Overlaps(list), "the article list would stay stale");
            Assert.False(tags.Overlaps(unrelated), $"purging {string.Join(' ', tags)} would also purge an unrelated article");
        }
        Assert.Contains("A purged author", await _public.GetStringAsync($"/v1/articles/{Edited}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_a_key_unlocked_carries_no_cdn_headers()
    {
        var reader = api.ClientWithKey(await api.CreateKeyAsync("cdn-reader", "content:write"));
        using var response = await reader.GetAsync($"/v1/articles/{Edited}");
        response.EnsureSuccessStatusCode();
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true });
        Assert.False(response.Headers.Contains("Surrogate-Key"));
        Assert.False(response.Headers.Contains("Cache-Tag"));
        Assert.False(response.Headers.Contains("Surrogate-Control"));
        Assert.False(response.Headers.Contains("CDN-Cache-Control"));
    }

    /// <summary>The keys of a public article that shares no cache tag with the edited one but the whole-cache tag.</summary>
    private async Task<HashSet<string>> UnrelatedArticleKeysAsync(HashSet<string> edited)
    {
        var shared = edited.Where(k => k == "content").ToHashSet();
        foreach (var card in (await _public.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").EnumerateArray())
        {
            var keys = await SurrogateKeysAsync($"/v1/articles/{card.GetProperty("slug").GetString()}");
            if (!keys.Except(shared).Any(edited.Contains))
            {
                return keys;
            }
        }
        throw new InvalidOperationException("The seeds have no article unrelated to the edited one.");
    }
}
