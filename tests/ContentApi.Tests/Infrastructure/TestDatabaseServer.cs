using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run, found like the app finds one: CONTENTAPI_TEST_CONNECTION, else
/// Testcontainers, else the machine's binaries. It holds a migrated, seeded template database that each test
/// class clones (CREATE DATABASE ... TEMPLATE), which takes milliseconds instead of a fresh migrate and import.
/// </summary>
public static class TestDatabaseServer
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);
    private static readonly SemaphoreSlim CloneLock = new(1, 1);
    private static readonly string RunId = $"{Environment.ProcessId}_{Random.Shared.Next(1000, 9999)}";

    public sealed record Server(Func<string, string> ConnectionStringFor, string AdminConnectionString, string TemplateName);

    public static Task<Server> GetAsync() => Shared.Value;

    /// <summary>The repository's seeds folder.</summary>
    public static string SeedsFolder { get; } = FindSeedsFolder();

    /// <summary>A new database holding the seeded content; dropped by <see cref="DropAsync"/>.</summary>
    public static async Task<string> CloneTemplateAsync()
    {
        var server = await GetAsync();
        var name = $"contentapi_test_{RunId}_{Guid.NewGuid():N}"; // at most 63 characters, PostgreSQL's limit
        await CloneLock.WaitAsync(); // PostgreSQL copies a template for one CREATE DATABASE at a time
        try
        {
            await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE \"{name}\" TEMPLATE \"{server.TemplateName}\"");
        }
        finally
        {
            CloneLock.Release();
        }
        return server.ConnectionStringFor(name);
    }

    /// <summary>A new, empty database (no schema); dropped by <see cref="DropAsync"/>.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var server = await GetAsync();
        var name = $"contentapi_empty_{RunId}_{Guid.NewGuid():N}"; // at most 63 characters, PostgreSQL's limit
        await ExecuteAsync(server.AdminConnectionString, $"CREATE DATABASE \"{name}\"");
        return server.ConnectionStringFor(name);
    }

    public static async Task DropAsync(string connectionString)
    {
        var server = await GetAsync();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server.AdminConnectionString, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>A DbContext on <paramref name="connectionString"/>, configured as the app configures its own.</summary>
    public static ContentDb OpenContentDb(string connectionString)
    {
        var options = new DbContextOptionsBuilder<ContentDb>();
        DatabaseSetup.Configure(options, connectionString);
        return new ContentDb(options.Options);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Server> StartAsync()
    {
        Func<string, string> connectionStringFor;
        if (Environment.GetEnvironmentVariable("CONTENTAPI_TEST_CONNECTION") is { Length: > 0 } configured)
        {
            connectionStringFor = database => new NpgsqlConnectionStringBuilder(configured) { Database = database }.ConnectionString;
        }
        else
        {
            using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
            // Durability does not matter for throwaway test data; speed does.
            var settings = new Dictionary<string, string>
            {
                ["fsync"] = "off", ["synchronous_commit"] = "off", ["full_page_writes"] = "off", ["max_connections"] = "300",
            };
            var server = await DatabaseProvisioning.StartAsync(
                DatabaseProvisioning.DefaultDataDirectory("test-postgres"), loggerFactory.CreateLogger("Tests"), settings);
            connectionStringFor = server.ConnectionStringFor;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Lifetime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var admin = connectionStringFor("postgres");
        await DropLeftoversAsync(admin);
        var template = $"contentapi_template_{RunId}";
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)");
        await ExecuteAsync(admin, $"CREATE DATABASE \"{template}\"");
        await using (var db = OpenContentDb(connectionStringFor(template)))
        {
            await db.Database.MigrateAsync();
            await new SeedImporter(db, TimeProvider.System).ImportAsync(SeedFiles.Read(SeedsFolder), SeedMode.FillMissing, CancellationToken.None);
        }
        // A template must have no open connections while it is being cloned: close ours, and refuse new ones.
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"ALTER DATABASE \"{template}\" WITH ALLOW_CONNECTIONS false");
        await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template}'");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropQuietly(admin, template);
        return new Server(connectionStringFor, admin, template);
    }

    private static void DropQuietly(string admin, string database)
    {
        try
        {
            ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The server may already be stopping; the next run drops what is left (DropLeftoversAsync).
        }
    }

    /// <summary>Drops databases left by test runs that were killed: their names carry the pid of a process that is gone.</summary>
    private static async Task DropLeftoversAsync(string admin)
    {
        var leftovers = new List<string>();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT datname FROM pg_database WHERE datname ~ '^contentapi_(template|test|empty)_[0-9]+_'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0);
                var pid = name.Split('_')[2];
                if (!Directory.Exists($"/proc/{pid}"))
                {
                    leftovers.Add(name);
                }
            }
        }
        foreach (var name in leftovers)
        {
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }

    private static string FindSeedsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seeds");
            if (File.Exists(Path.Combine(candidate, "sections.yaml")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("No seeds/ folder above the test binaries.");
    }
}
