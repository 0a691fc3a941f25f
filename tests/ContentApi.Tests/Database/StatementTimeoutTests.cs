using System.Diagnostics;
using System.Net;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Database;

/// <summary>The API with a statement timeout short enough for a test to run past it, and its log kept.</summary>
public sealed class SlowQueryApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?> { ["Delivery:StatementTimeoutMilliseconds"] = "300" },
    KeepLogs = true,
});

public sealed class StatementTimeoutTests(SlowQueryApi api) : IClassFixture<SlowQueryApi>
{
    [Fact]
    public async Task A_delivery_query_past_the_statement_timeout_is_a_503_the_server_stops_it_and_the_next_request_succeeds()
    {
        var client = api.ClientWithKey(null);
        client.Timeout = TimeSpan.FromSeconds(15);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles?topic=russia")).StatusCode);
        var slug = (await client.GetJsonAsync("/v1/articles?limit=1")).GetProperty("items")[0].GetProperty("slug").GetString();

        // A writer holds the articles table, so any read of it waits for as long as the lock is held.
        await using var locker = new NpgsqlConnection(api.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }
        HttpResponseMessage slow, slowArticle;
        TimeSpan took;
        object? stillWorking;
        try
        {
            var clock = Stopwatch.StartNew();
            slow = await client.GetAsync("/v1/articles?topic=russia");
            took = clock.Elapsed;
            // The article and the cards come from hand-written queries outside EF Core: the same timeout holds.
            slowArticle = await client.GetAsync($"/v1/articles/{slug}");
            await using var working = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() " +
                "AND backend_type = 'client backend' AND state <> 'idle'", locker, transaction);
            stillWorking = await working.ExecuteScalarAsync();
        }
        finally
        {
            await transaction.RollbackAsync();
        }

        await slow.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        await slowArticle.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(slow.Headers.RetryAfter);
        Assert.True(took < TimeSpan.FromSeconds(5), $"the 503 took {took}");
        Assert.Equal(0L, stillWorking); // the server gave up the query; it is not still waiting behind the lock
        Assert.Contains(api.LogLines, line => line.Contains("/v1/articles", StringComparison.Ordinal)
                                           && line.Contains("statement timeout", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles?topic=russia")).StatusCode);
    }
}
