using System.Net;
using System.Net.Http.Headers;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>
/// The API on real Kestrel (so every request has a client address), with small limits, behind a reverse proxy on
/// the loopback address that it is configured to trust.
/// </summary>
public sealed class RateLimitedApi() : ApiFactory(Settings("127.0.0.1"))
{
    public static ApiSettings Settings(string trustedProxy) => new()
    {
        RealPort = true,
        Configuration = new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:AnonymousBurst"] = "3",
            ["RateLimits:AnonymousPerSecond"] = "1",
            ["RateLimits:KeyBurst"] = "20",
            ["RateLimits:KeyPerSecond"] = "1",
            ["ForwardedHeaders:KnownProxies:0"] = trustedProxy,
        },
    };
}

/// <summary>The same, but the proxy it trusts is elsewhere: the loopback caller's forwarded addresses are not believed.</summary>
public sealed class UntrustingApi() : ApiFactory(RateLimitedApi.Settings("192.0.2.10"));

/// <summary>Sends requests as the proxy would, naming the client each came from.</summary>
internal sealed class ProxyClient(HttpClient http)
{
    public static ProxyClient To(string baseAddress) => new(new HttpClient { BaseAddress = new Uri(baseAddress) });

    public async Task<HttpResponseMessage> GetAsync(string clientAddress, string url = "/v1/sections", string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Forwarded-For", clientAddress);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await http.SendAsync(request);
    }

    /// <summary>Spends the client's burst until it is refused.</summary>
    public async Task ExhaustAsync(string clientAddress)
    {
        for (var i = 0; i < 10; i++)
        {
            if ((await GetAsync(clientAddress)).StatusCode == HttpStatusCode.TooManyRequests)
            {
                return;
            }
        }
        Assert.Fail($"{clientAddress} was never limited");
    }

    /// <summary>
    /// Whether the client still has a bucket of its own. Two requests in a row: a fresh bucket serves both, while an
    /// empty one serves at most one (the token that may have been added since).
    /// </summary>
    public async Task<bool> IsServedTwiceAsync(string clientAddress)
    {
        var first = await GetAsync(clientAddress);
        var second = await GetAsync(clientAddress);
        return first.StatusCode == HttpStatusCode.OK && second.StatusCode == HttpStatusCode.OK;
    }
}

public sealed class RateLimitTests(RateLimitedApi api) : IClassFixture<RateLimitedApi>
{
    private readonly ProxyClient _proxy = ProxyClient.To(api.Start());

    [Fact]
    public async Task Over_the_limit_a_client_gets_429_with_retry_after_and_a_key_has_its_own_bucket()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await _proxy.GetAsync("198.51.100.1"));
        }

        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 3, 4); // the burst, and a token added meanwhile
        var limited = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        var key = await api.CreateKeyAsync("busy-partner", "content:preview");
        Assert.Equal(HttpStatusCode.OK, (await _proxy.GetAsync("198.51.100.1", key: key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _proxy.GetAsync("198.51.100.1", "/health/live")).StatusCode); // probes are never limited
        Assert.Equal(HttpStatusCode.OK, (await _proxy.GetAsync("198.51.100.1", "/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_client_address_has_its_own_bucket_and_ipv6_clients_share_one_per_64()
    {
        await _proxy.ExhaustAsync("203.0.113.7");
        Assert.True(await _proxy.IsServedTwiceAsync("203.0.113.8"), "another IPv4 client shared the first one's bucket");

        await _proxy.ExhaustAsync("2001:db8:1:2::1");
        Assert.False(await _proxy.IsServedTwiceAsync("2001:db8:1:2:ffff:ffff:ffff:fffe"), "an address in the same /64 got a bucket of its own");
        Assert.True(await _proxy.IsServedTwiceAsync("2001:db8:1:3::1"), "a client in another /64 shared the bucket");
    }
}

public sealed class UntrustedProxyTests(UntrustingApi api) : IClassFixture<UntrustingApi>
{
    [Fact]
    public async Task Forwarded_addresses_from_a_caller_that_is_not_a_configured_proxy_are_ignored()
    {
        var proxy = ProxyClient.To(api.Start());

        await proxy.ExhaustAsync("203.0.113.7");

        // The caller is limited by its own address, whatever client it claims to speak for.
        Assert.False(await proxy.IsServedTwiceAsync("203.0.113.8"), "a forged X-Forwarded-For bought a fresh bucket");
    }
}
