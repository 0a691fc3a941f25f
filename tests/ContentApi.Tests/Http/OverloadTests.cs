using System.Diagnostics;
using System.Net;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.Http;

/// <summary>The API with room for 4 requests at once and 8 waiting, so that a burst is far more than it can serve.</summary>
public sealed class SmallApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?>
    {
        ["Limits:MaxConcurrentRequests"] = "4",
        ["Limits:QueueLength"] = "8",
        ["Limits:QueueTimeoutMilliseconds"] = "2000",
    },
});

public sealed class OverloadTests(SmallApi api, ITestOutputHelper output) : IClassFixture<SmallApi>
{
    [Fact]
    public async Task Far_more_requests_than_it_can_serve_get_fast_503s_and_no_more_than_the_limit_run_at_once()
    {
        var client = api.ClientWithKey(null);
        client.Timeout = TimeSpan.FromSeconds(30);
        await client.GetStringAsync("/v1/search?q=venezuela"); // warm
        // What a request holds (buffers, a connection, query results) is held by at most MaxConcurrentRequests at a
        // time: each request runs its queries one after another, so the queries running at once count them.
        using var database = new DatabaseCommandCounter(api.ConnectionString);

        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var response = await client.GetAsync(i % 2 == 0 ? "/v1/search?q=oil%20sanctions" : "/v1/articles?topic=russia&limit=50");
            var body = await response.Content.ReadAsStringAsync();
            return (response, body, clock.Elapsed);
        })));

        var served = answers.Count(a => a.response.StatusCode == HttpStatusCode.OK);
        var shed = answers.Where(a => a.response.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        output.WriteLine($"400 at once: {served} served, {shed.Count} shed with 503; slowest served {answers.Where(a => a.response.IsSuccessStatusCode).Max(a => a.Elapsed).TotalMilliseconds:F0} ms, " +
                         $"slowest 503 {shed.Select(a => a.Elapsed.TotalMilliseconds).DefaultIfEmpty().Max():F0} ms");
        Assert.All(answers, a => Assert.Contains(a.response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.True(served >= 4, $"only {served} were served"); // at least a full set of concurrent slots
        Assert.NotEmpty(shed);
        foreach (var (response, body, elapsed) in shed)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"a shed request took {elapsed}");
        }

        output.WriteLine($"at most {database.PeakConcurrent} queries ran at once");
        Assert.InRange(database.PeakConcurrent, 1, 4);

        // Health probes are never shed: an orchestrator must be able to ask while the API is busy.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}
