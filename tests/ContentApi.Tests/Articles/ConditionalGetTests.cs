using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Articles;

/// <summary>Every delivery GET: a strong ETag, public caching, 304 when the ETag matches, and HEAD with the same headers.</summary>
public sealed class ConditionalGetTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> Urls =>
    [
        "/v1/articles",
        "/v1/articles?topic=russia&sort=title",
        "/v1/articles/venezuela-defies-the-us",
        "/v1/articles/venezuela-defies-the-us/related",
        "/v1/authors",
        "/v1/authors/cassie-b",
        "/v1/authors/cassie-b/articles",
        "/v1/sections",
        "/v1/sections/international-affairs",
        "/v1/sections/international-affairs/articles",
        "/v1/topics",
        "/v1/topics/russia",
        "/v1/topics/russia/articles",
        "/v1/works",
        "/v1/works/war-just-war",
        "/v1/search?q=venezuela",
    ];

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task A_matching_etag_gets_304_without_a_body(string url)
    {
        var client = api.CreateClient();
        var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=60, stale-while-revalidate=300", first.Headers.CacheControl?.ToString());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        var second = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"something-else\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(stale)).StatusCode);

        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        var headResponse = await client.SendAsync(head);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
        Assert.Equal(etag, headResponse.Headers.ETag);
        Assert.Empty(await headResponse.Content.ReadAsByteArrayAsync());
    }
}
