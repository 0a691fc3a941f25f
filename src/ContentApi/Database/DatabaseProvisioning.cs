#if TESTCONTAINERS
using System.Net.Sockets;
using Testcontainers.PostgreSql;
#endif

namespace ContentApi.Database;

/// <summary>
/// Finds a PostgreSQL server when no connection string is configured: a Testcontainers container when a Docker
/// engine answers (Debug builds only), otherwise the machine's own PostgreSQL binaries. Used by Development runs and
/// by the tests.
/// </summary>
public static class DatabaseProvisioning
{
    /// <summary>A provisioned server: how to reach a database on it, and what stops it.</summary>
    public sealed record ProvisionedServer(string Description, Func<string, string> ConnectionStringFor,
        Func<string, CancellationToken, Task> EnsureDatabase, IAsyncDisposable Lifetime);

    /// <summary>Starts a server, preferring Docker, keeping local data in <paramref name="localDataDirectory"/>.</summary>
    public static async Task<ProvisionedServer> StartAsync(
        string localDataDirectory, ILogger logger, IReadOnlyDictionary<string, string>? localServerSettings = null,
        CancellationToken cancellationToken = default)
    {
#if TESTCONTAINERS // not in Release builds: see ContentApi.csproj
        if (await DockerAnswersAsync(cancellationToken))
        {
            logger.LogInformation("A Docker engine answers; starting PostgreSQL with Testcontainers");
            var container = new PostgreSqlBuilder("postgres:17-alpine").Build();
            await container.StartAsync(cancellationToken);
            var baseConnection = container.GetConnectionString();
            return new ProvisionedServer(
                $"Testcontainers container {container.Name} on {container.Hostname}:{container.GetMappedPublicPort(5432)}",
                database => new Npgsql.NpgsqlConnectionStringBuilder(baseConnection) { Database = database }.ConnectionString,
                (database, ct) => CreateDatabaseIfMissingAsync(baseConnection, database, ct),
                container);
        }
#endif

        var local = await LocalPostgres.StartAsync(localDataDirectory, logger, localServerSettings, cancellationToken);
        return new ProvisionedServer(
            $"local PostgreSQL in {local.DataDirectory} on 127.0.0.1:{local.Port}",
            local.ConnectionString,
            (database, ct) => CreateDatabaseIfMissingAsync(local.ConnectionString("postgres"), database, ct),
            local);
    }

    /// <summary>Where a local data folder lives by default: outside /root when root, since PostgreSQL runs as another user.</summary>
    public static string DefaultDataDirectory(string name) => Environment.UserName == "root"
        ? Path.Combine("/var/lib/contentapi", name)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "contentapi", name);

    /// <summary>Creates <paramref name="database"/> on the server <paramref name="baseConnection"/> reaches, unless it exists.</summary>
    public static async Task CreateDatabaseIfMissingAsync(string baseConnection, string database, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(baseConnection);
        await connection.OpenAsync(ct);
        await using var exists = new Npgsql.NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new Npgsql.NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

#if TESTCONTAINERS
    /// <summary>True when a Docker engine answers on DOCKER_HOST or the default socket, checked in well under a second.</summary>
    private static async Task<bool> DockerAnswersAsync(CancellationToken cancellationToken)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            if (dockerHost is null || dockerHost.StartsWith("unix://", StringComparison.Ordinal))
            {
                var socketPath = dockerHost?["unix://".Length..] ?? "/var/run/docker.sock";
                if (!File.Exists(socketPath))
                {
                    return false;
                }
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timeout.Token);
                return true;
            }
            var uri = new Uri(dockerHost.Replace("tcp://", "http://", StringComparison.Ordinal));
            using var client = new TcpClient();
            await client.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or UriFormatException or IOException)
        {
            return false;
        }
    }
#endif
}
