using System.Net;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Health;

public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ready_turns_503_while_the_database_refuses_connections_and_recovers_after()
    {
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        var database = new NpgsqlConnectionStringBuilder(api.ConnectionString).Database;
        var admin = (await TestDatabaseServer.GetAsync()).AdminConnectionString;
        // Stops this test's database for new and existing connections, as a stopped server would.
        await TestDatabaseServer.ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        await TestDatabaseServer.ExecuteAsync(admin,
            $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
        try
        {
            // Ready answers from a result at most a second old, so the outage shows within about that.
            var notReady = await WaitForReadyAsync(client, HttpStatusCode.ServiceUnavailable);
            var problem = await notReady.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("database", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

            var request = await client.GetAsync("/v1/articles");
            await request.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(request.Headers.Contains("Retry-After"));
        }
        finally
        {
            await TestDatabaseServer.ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        Assert.Equal(HttpStatusCode.OK, (await WaitForReadyAsync(client, HttpStatusCode.OK)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task A_flood_of_ready_probes_asks_the_database_about_once_a_second()
    {
        var client = api.CreateClient();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // past any result another test left
        using var counter = new DatabaseCommandCounter(api.ConnectionString);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.GetAsync("/health/ready")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.InRange(counter.Count, 1, 4); // one check, two if the burst straddled a second (and a scheduled-publishing poll may fall inside)
    }

    [Fact]
    public async Task Live_answers_without_touching_the_database()
    {
        var client = api.CreateClient();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // so that a ready check would have to ask the database again
        using var counter = new DatabaseCommandCounter(api.ConnectionString);

        var response = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("healthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, counter.Count);
        // The counter does see a probe that asks the database, so zero above means live did not.
        await client.GetAsync("/health/ready");
        Assert.True(counter.Count > 0, "the counter saw no command from /health/ready");
    }

    private static async Task<HttpResponseMessage> WaitForReadyAsync(HttpClient client, HttpStatusCode status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var response = await client.GetAsync("/health/ready");
            if (response.StatusCode == status || clock.Elapsed > TimeSpan.FromSeconds(3))
            {
                return response;
            }
            await Task.Delay(100);
        }
    }
}
