using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>The API configured to serve its delivery endpoints to key holders only.</summary>
public sealed class KeyRequiredApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?> { ["Delivery:RequireKey"] = "true" },
});

public sealed class RequiredKeyTests(KeyRequiredApi api) : IClassFixture<KeyRequiredApi>
{
    [Fact]
    public async Task With_Delivery_RequireKey_the_delivery_api_answers_401_without_a_key()
    {
        var response = await api.ClientWithKey(null).GetAsync("/v1/articles");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var keyed = await api.ClientWithKey(await api.CreateKeyAsync("frontend", "content:preview")).GetAsync("/v1/articles");
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.True(keyed.Headers.CacheControl is { Private: true, NoStore: true });
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithKey(null).GetAsync("/health/live")).StatusCode);
    }
}
