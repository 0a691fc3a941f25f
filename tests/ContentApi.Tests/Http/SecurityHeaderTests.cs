using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>Headers every answer carries, whatever produced it.</summary>
public sealed class SecurityHeaderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.ClientWithKey(null);

    [Theory]
    [InlineData("/v1/articles/venezuela-defies-the-us", HttpStatusCode.OK)]
    [InlineData("/v1/articles?limit=2", HttpStatusCode.OK)]
    [InlineData("/v1/feeds/articles.rss", HttpStatusCode.OK)]
    [InlineData("/v1/articles/no-such-article", HttpStatusCode.NotFound)]
    [InlineData("/v1/articles?limit=500", HttpStatusCode.BadRequest)]
    [InlineData("/v1/articles/venezuela-defies-us", HttpStatusCode.MovedPermanently)]
    [InlineData("/v1/manage/topics", HttpStatusCode.Unauthorized)]
    [InlineData("/v1/no-such-route", HttpStatusCode.NotFound)]
    [InlineData("/health/live", HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", HttpStatusCode.OK)]
    public async Task Every_answer_tells_browsers_not_to_sniff_its_media_type(string url, HttpStatusCode status)
    {
        var response = await _client.GetAsync(url);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }

    [Fact]
    public async Task A_304_also_carries_nosniff()
    {
        var first = await _client.GetAsync("/v1/articles/venezuela-defies-the-us");
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles/venezuela-defies-the-us");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
    }
}
