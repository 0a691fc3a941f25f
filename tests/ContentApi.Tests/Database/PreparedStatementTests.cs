using ContentApi.Database;
using ContentApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ContentApi.Tests.Database;

public sealed class PreparedStatementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_APIs_connections_prepare_a_statement_they_run_again_and_again()
    {
        _ = api.ClientWithKey(null); // starts the host
        var dataSource = api.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 0; i < 10; i++)
        {
            await using var command = new NpgsqlCommand("SELECT slug FROM sections WHERE slug = @slug", connection);
            command.Parameters.AddWithValue("slug", "culture");
            await command.ExecuteScalarAsync();
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM sections WHERE slug%'", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=20", 20)]
    [InlineData("Host=db", 100)]
    public void A_connection_string_that_sets_Max_Auto_Prepare_wins(string connectionString, int prepared)
    {
        using var dataSource = DatabaseSetup.BuildDataSource(connectionString);
        Assert.Equal(prepared, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare);
    }
}
