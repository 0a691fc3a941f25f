using System.Diagnostics;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.Http;

/// <summary>
/// Two replicas of the API on one database, each with a delivery cache of its own, as behind a load balancer: a
/// write through one must show through the other within a second.
/// </summary>
public sealed class ReplicaCacheTests(CachedApi first, ITestOutputHelper output) : IClassFixture<CachedApi>
{
    private const string Article = "/v1/articles/venezuela-defies-the-us";

    [Fact]
    public async Task A_write_through_one_replica_is_served_by_the_other_within_a_second()
    {
        await using var second = ApiFactory.With(CachedApi.Settings with { Database = first.ConnectionString });
        var editor = first.ClientWithKey(await first.CreateKeyAsync("replica-editor", "content:write"));
        var reader = second.ClientWithKey(null);
        var before = await reader.GetStringAsync(Article);
        // The second replica serves from its cache: a change made behind the API's back does not show.
        await TestDatabaseServer.ExecuteAsync(first.ConnectionString,
            "UPDATE articles SET dek = 'Changed behind the cache' WHERE slug = 'venezuela-defies-the-us'");
        Assert.Equal(before, await reader.GetStringAsync(Article));

        var url = await editor.ManagedUrlAsync("articles", "venezuela-defies-the-us");
        var (_, etag) = await editor.GetWithETagAsync(url);
        Assert.True((await editor.PatchJsonAsync(url, new { title = "Seen by every replica" }, etag)).IsSuccessStatusCode);
        var clock = Stopwatch.StartNew();
        while (!(await reader.GetStringAsync(Article)).Contains("Seen by every replica", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the other replica still serves the old article after 1 s");
            await Task.Delay(10);
        }
        output.WriteLine($"visible through the other replica after {clock.ElapsedMilliseconds} ms");
    }
}
