using System.Text.Json;
using ContentApi.Database;
using ContentApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Database;

/// <summary>
/// PostgreSQL compiles a statement to machine code when its estimated cost passes jit_above_cost. At a million
/// articles the related articles' statement passed it, and compiling took 46 ms of a 70 ms execution, on every request.
/// </summary>
public sealed class JitTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_APIs_connections_do_not_compile_statements_however_costly_they_look()
    {
        _ = api.ClientWithKey(null); // starts the host
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        // What a large table does to every estimate: each statement now passes the threshold.
        await using (var threshold = new NpgsqlCommand("SET jit_above_cost = 0", connection))
        {
            await threshold.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM articles WHERE word_count > 0", connection);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        Assert.False(plan.RootElement[0].TryGetProperty("JIT", out _), plan.RootElement.ToString());
        await using var show = new NpgsqlCommand("SHOW jit", connection);
        Assert.Equal("off", await show.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Host=db", "-c jit=off")]
    [InlineData("Host=db;Options=-c search_path=content", "-c search_path=content -c jit=off")]
    [InlineData("Host=db;Options=-c jit=on", "-c jit=on")]
    public void A_connection_string_keeps_its_options_and_may_turn_jit_on(string connectionString, string options)
    {
        using var dataSource = DatabaseSetup.BuildDataSource(connectionString);
        Assert.Equal(options, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Options);
    }
}
