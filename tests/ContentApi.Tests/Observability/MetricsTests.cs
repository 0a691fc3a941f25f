using System.Net;
using System.Text.RegularExpressions;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.Observability;

/// <summary>The API with its response cache and the Prometheus scrape endpoint on.</summary>
public sealed class MetricsApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?>
    {
        ["Metrics:Prometheus"] = "true",
        ["Delivery:ResponseCache"] = "true",
        ["Delivery:ResponseCacheSeconds"] = "600",
    },
});

/// <summary>
/// With Metrics:Prometheus=true, /metrics answers Prometheus's text format with what an operator watches: requests
/// per route, the delivery cache's hits, misses and evictions, the database pool, the webhook backlog and the
/// scheduler's lag.
/// </summary>
public sealed partial class MetricsTests(MetricsApi api, ITestOutputHelper output) : IClassFixture<MetricsApi>
{
    private const string ArticleRoute = "/v1/articles/{slug}";
    private readonly HttpClient _public = api.ClientWithKey(null);

    // name{label="value",...} sample; a label's value may hold braces (http_route="/v1/articles/{slug}").
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{(?:[^""}]|""(?:[^""\\]|\\.)*"")*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    /// <summary>The value of the first sample named <paramref name="name"/> whose labels hold every one given.</summary>
    private static double? Value(string scrape, string name, params string[] labels) => Sample().Matches(scrape)
        .Where(m => m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
        .Select(m => (double?)double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture))
        .FirstOrDefault();

    [Fact]
    public async Task Metrics_name_requests_per_route_cache_hits_and_misses_evictions_pool_backlog_and_scheduler_lag()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("metrics-editor", "content:write"));
        // A scheduled article going live gives the scheduler something to be late for.
        var url = await editor.ManagedUrlAsync("articles", "the-long-memory-of-lepanto");
        await (await editor.PostAsync($"{url}/unpublish", null)).ReadJsonAsync();
        await (await editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt = DateTimeOffset.UtcNow.AddSeconds(1) }))).ReadJsonAsync();

        await _public.GetStringAsync("/v1/articles/venezuela-defies-the-us"); // a miss
        await _public.GetStringAsync("/v1/articles/venezuela-defies-the-us"); // a hit

        // The scheduler records its lag once it has published and evicted (the article shows a moment before). The
        // instruments are static, so another API in this test process may record a lag first: the eviction is waited
        // for too, as the first write's look at the change log may be the one that empties the whole cache.
        var route = $"http_route=\"{ArticleRoute}\"";
        var scrape = "";
        for (var attempt = 0; attempt < 100 && (Value(scrape, "contentapi_scheduler_lag_seconds") is null
                                                 || Value(scrape, "contentapi_delivery_cache_evictions_total", "scope=\"resource\"") is not >= 1); attempt++)
        {
            await Task.Delay(200);
            using var response = await _public.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
            scrape = await response.Content.ReadAsStringAsync();
        }

        Assert.True(Value(scrape, "contentapi_delivery_cache_hits_total", route) >= 1, "no cache hit counted");
        Assert.True(Value(scrape, "contentapi_delivery_cache_misses_total", route) >= 1, "no cache miss counted");
        Assert.True(Value(scrape, "contentapi_delivery_cache_evictions_total", "scope=\"resource\"") >= 1, "no eviction counted");
        Assert.True(Value(scrape, "contentapi_scheduler_lag_seconds") >= 0, "no scheduler lag");
        Assert.Contains("# TYPE contentapi_scheduler_lag_seconds gauge", scrape, StringComparison.Ordinal);
        Assert.Equal(0, Value(scrape, "contentapi_webhooks_pending"));
        Assert.Equal(0, Value(scrape, "contentapi_webhooks_oldest_pending_age_seconds"));
        Assert.True(Value(scrape, "db_client_connection_count", "db_client_connection_state=\"idle\"") >= 0, "no connection pool use");
        Assert.True(Value(scrape, "db_client_connection_max") > 0, "no connection pool size");
    }

    /// <summary>
    /// Request rates and latencies come from ASP.NET Core's own meters, whose request series the in-memory test host
    /// does not show in its scrape (authentication's do; hosting's and routing's do not): a real process does.
    /// </summary>
    [Fact]
    public async Task A_real_process_counts_requests_and_their_latency_per_route()
    {
        await using var process = ApiProcess.Start(api.ConnectionString, output, new Dictionary<string, string> { ["Metrics__Prometheus"] = "true" });
        await process.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        (await process.Client.GetAsync("/v1/articles/venezuela-defies-the-us")).EnsureSuccessStatusCode();

        var scrape = await process.Client.GetStringAsync("/metrics");
        var route = $"http_route=\"{ArticleRoute}\"";
        Assert.Equal(1, Value(scrape, "http_server_request_duration_seconds_count", route, "http_response_status_code=\"200\""));
        Assert.Equal(1, Value(scrape, "http_server_request_duration_seconds_bucket", route, "le=\"+Inf\""));
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", scrape, StringComparison.Ordinal);
    }
}

/// <summary>Metrics are off unless configured: no /metrics, and no instrumentation on the request path.</summary>
public sealed class MetricsOffTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_the_setting_there_is_no_metrics_endpoint()
    {
        using var response = await api.ClientWithKey(null).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
