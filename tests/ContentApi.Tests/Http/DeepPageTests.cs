using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>No anonymous request makes the database read further than a page of 10,000 rows in.</summary>
public sealed class DeepPageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.ClientWithKey(null);

    [Theory]
    [InlineData("/v1/articles?page=101&limit=100")]
    [InlineData("/v1/articles?page=100000&limit=100")]
    [InlineData("/v1/articles?page=501")]
    [InlineData("/v1/topics/russia/articles?page=201&limit=50")]
    [InlineData("/v1/topics?page=10001&limit=1")]
    [InlineData("/v1/works?page=1001&limit=10")]
    public async Task A_page_beyond_page_times_limit_of_10000_is_a_400_naming_page(string url)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out var messages), url);
        Assert.Contains("10000", messages[0].GetString()!.Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("cursor", messages[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/articles?page=100&limit=100")]
    [InlineData("/v1/articles?page=500")]
    [InlineData("/v1/topics?page=10000&limit=1")]
    public async Task The_deepest_allowed_page_is_answered(string url)
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(url)).StatusCode);
    }
}
