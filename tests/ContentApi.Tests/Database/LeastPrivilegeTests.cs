using System.Net;
using ContentApi.Database;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Database;

/// <summary>
/// The API runs as a role that may read and write rows and nothing else; the schema owner's connection
/// (ConnectionStrings:ContentMigrations) migrates. A SQL injection or a bug in the running API cannot change the
/// schema or reach beyond this database's rows.
/// </summary>
public sealed class LeastPrivilegeTests : IAsyncLifetime
{
    private readonly string _role = $"contentapi_app_{Guid.NewGuid():N}"[..30];
    private string _ownerConnection = "";
    private string _apiConnection = "";

    public async Task InitializeAsync()
    {
        // As README tells an operator to do on an existing server: a plain login role, nothing granted yet.
        _ownerConnection = await TestDatabaseServer.CreateEmptyAsync();
        var password = Guid.NewGuid().ToString("N");
        await TestDatabaseServer.ExecuteAsync(_ownerConnection, $"CREATE ROLE \"{_role}\" LOGIN PASSWORD '{password}'");
        _apiConnection = new NpgsqlConnectionStringBuilder(_ownerConnection) { Username = _role, Password = password }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        await TestDatabaseServer.DropAsync(_ownerConnection);
        var server = new NpgsqlConnectionStringBuilder(_ownerConnection) { Database = "postgres" }.ConnectionString;
        await TestDatabaseServer.ExecuteAsync(server, $"DROP ROLE IF EXISTS \"{_role}\"");
    }

    [Fact]
    public async Task The_api_serves_and_writes_as_a_row_only_role_while_the_owner_migrates()
    {
        // The API with its two connections, on a database it migrates and seeds itself as it starts.
        await using (var api = ApiFactory.With(new ApiSettings
        {
            Database = _apiConnection,
            Configuration = new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{DatabaseSetup.OwnerConnectionName}"] = _ownerConnection,
                ["Seed:OnStartup"] = "true",
                ["Seed:Folder"] = TestDatabaseServer.SeedsFolder,
            },
        }))
        {
            api.StartServer();
            var client = api.ClientWithKey(await api.CreateKeyAsync("least-privilege", "content:write"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/articles/venezuela-defies-the-us")).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/manage/topics", new { slug = "rights", name = "Rights" })).StatusCode);
        }

        await using var connection = new NpgsqlConnection(_apiConnection);
        await connection.OpenAsync();
        await using (var who = new NpgsqlCommand("SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user", connection))
        {
            Assert.False((bool)(await who.ExecuteScalarAsync())!);
        }
        foreach (var ddl in new[] { "CREATE TABLE intruder (id int)", "DROP TABLE articles", "ALTER TABLE articles ADD COLUMN x int", "TRUNCATE articles" })
        {
            await using var command = new NpgsqlCommand(ddl, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

}
