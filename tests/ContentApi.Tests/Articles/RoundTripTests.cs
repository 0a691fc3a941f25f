using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Articles;

/// <summary>
/// Database round trips per request stay fixed whatever the size of the page or the number of related rows:
/// no query per item (N+1) on any list; one for an article page, and for a kept list's page (its cards and total in one
/// command), plus the lookup of the author, section or topic it belongs to.
/// </summary>
public sealed class RoundTripTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/v1/articles/venezuela-defies-the-us", 1)]
    [InlineData("/v1/articles?limit=2", 1)]
    [InlineData("/v1/articles?limit=100", 1)]
    [InlineData("/v1/articles?limit=100&topic=russia", 1)]
    [InlineData("/v1/articles?limit=100&topic=russia&q=venezuela", 3)]
    [InlineData("/v1/articles/venezuela-defies-the-us/related?limit=20", 1)]
    [InlineData("/v1/authors?limit=100", 2)]
    [InlineData("/v1/authors/cassie-b", 1)]
    [InlineData("/v1/authors/cassie-b/articles?limit=100", 2)]
    [InlineData("/v1/sections?limit=100", 2)]
    [InlineData("/v1/sections/international-affairs/articles?limit=100", 2)]
    [InlineData("/v1/topics?limit=100", 2)]
    [InlineData("/v1/topics/russia/articles?limit=100", 2)]
    [InlineData("/v1/works?limit=100", 2)]
    [InlineData("/v1/works/war-just-war", 1)]
    // Per type searched: a count and a ranking, then a headline query per type on the page, and the cards: 4 × 3 + 1.
    [InlineData("/v1/search?q=war&limit=100", 13)]
    public async Task Round_trips_do_not_grow_with_the_page(string url, int maxCommands)
    {
        var client = api.CreateClient();
        await client.GetJsonAsync(url); // warm up: the first request also opens the pool

        using var counter = new DatabaseCommandCounter(api.ConnectionString);
        var body = await client.GetJsonAsync(url);

        Assert.True(counter.Count <= maxCommands, $"{url} took {counter.Count} database commands; at most {maxCommands} expected");
        Assert.True(counter.Count >= 1, "the counter saw the request's commands");
        if (body.TryGetProperty("items", out var items))
        {
            Assert.True(items.GetArrayLength() > 0, $"{url} returned items, so the bound was tested on a real page");
        }
    }
}
