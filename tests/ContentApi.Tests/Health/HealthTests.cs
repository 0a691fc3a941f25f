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
            var notReady = await client.GetAsync("/health/ready");
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

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles")).StatusCode);
    }

    [Fact]
    public async Task Live_answers_without_touching_the_database()
    {
        var response = await api.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("healthy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
