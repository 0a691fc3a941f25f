using ContentApi.Content;
using ContentApi.Seeding;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Database;

public static class DatabaseSetup
{
    public const string ConnectionName = "Content";
    public const string LocalDatabaseName = "contentapi";

    /// <summary>
    /// Registers the data source and the DbContext. The connection string is read when first needed, so that a
    /// server provisioned after the host is built (<see cref="PrepareDatabaseAsync"/>) is the one used.
    /// </summary>
    public static IServiceCollection AddContentDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => new DeliveryStatementTimeout(sp.GetRequiredService<IHttpContextAccessor>(),
            configuration.GetValue("Delivery:StatementTimeoutMilliseconds", 5000)));
        services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionName)
                ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set.");
            return new NpgsqlDataSourceBuilder(connectionString).Build();
        });
        services.AddDbContextPool<ContentDb>((sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(sp.GetRequiredService<DeliveryStatementTimeout>()));
        services.AddScoped<SeedImporter>();
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, NpgsqlOptions).UseSnakeCaseNamingConvention();

    /// <summary>The same configuration on a plain connection string (Npgsql's shared pool), for tools and tests.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, NpgsqlOptions).UseSnakeCaseNamingConvention();

    // Single queries: an article or a page of cards joins only a handful of authors, topics and works, and one
    // round trip beats several.
    private static void NpgsqlOptions(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql) =>
        npgsql.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery);

    /// <summary>
    /// Makes sure there is a database: the configured connection string, else (in Development, or with
    /// Database:Provision=true) a provisioned local server; then migrates it. Returns what must be stopped at exit.
    /// </summary>
    public static async Task<IAsyncDisposable?> PrepareDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContentApi.Database");
        IAsyncDisposable? provisioned = null;
        var connectionString = app.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!app.Environment.IsDevelopment() && !app.Configuration.GetValue<bool>("Database:Provision"))
            {
                throw new InvalidOperationException(
                    $"No database configured. Set the connection string ConnectionStrings__{ConnectionName} " +
                    "(e.g. \"Host=localhost;Database=contentapi;Username=...;Password=...\"), or run in Development " +
                    "(ASPNETCORE_ENVIRONMENT=Development) to have a local PostgreSQL provisioned.");
            }
            var dataDirectory = app.Configuration["Database:LocalDataDirectory"] ?? DatabaseProvisioning.DefaultDataDirectory("postgres");
            var server = await DatabaseProvisioning.StartAsync(dataDirectory, logger, cancellationToken: ct);
            await server.EnsureDatabase(LocalDatabaseName, ct);
            app.Configuration[$"ConnectionStrings:{ConnectionName}"] = server.ConnectionStringFor(LocalDatabaseName);
            logger.LogInformation("Database: {Database} on {Server}", LocalDatabaseName, server.Description);
            provisioned = server.Lifetime;
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            logger.LogInformation("Database: {Database} on {Host}:{Port} (from ConnectionStrings:{Name})",
                builder.Database, builder.Host, builder.Port, ConnectionName);
        }

        await using (await LockSetupAsync(app.Services, ct))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ContentDb>().Database.MigrateAsync(ct);
        }
        return provisioned;
    }

    /// <summary>Imports the seeds folder; logs and rethrows what is wrong with it.</summary>
    public static async Task<SeedImporter.Result> ImportSeedsAsync(this IServiceProvider services, string folder, SeedMode mode, CancellationToken ct)
    {
        var seeds = SeedFiles.Read(folder);
        await using (await LockSetupAsync(services, ct))
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportAsync(seeds, mode, ct);
        }
    }

    /// <summary>
    /// Waits for, then holds until disposed, the lock that makes processes starting together on one database
    /// migrate and seed one after the other: the later ones find the work done. A session lock on a connection of
    /// its own, because migrations commit transactions of their own; if the process dies, the lock ends with its
    /// connection.
    /// </summary>
    private static async Task<IAsyncDisposable> LockSetupAsync(IServiceProvider services, CancellationToken ct)
    {
        var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_lock({SetupLock})", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
        return new HeldLock(connection);
    }

    /// <summary>Unlocks explicitly: a pooled connection keeps its session's locks until it is next reused.</summary>
    private sealed class HeldLock(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SetupLock})", connection))
            {
                await unlock.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        }
    }

    private const long SetupLock = 0x5365747570; // any constant; distinct from the commit-order lock

    /// <summary>The seeds folder: Seed:Folder, else the nearest <c>seeds/</c> above the content root.</summary>
    public static string SeedsFolder(this WebApplication app)
    {
        if (app.Configuration["Seed:Folder"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured, app.Environment.ContentRootPath);
        }
        for (var dir = new DirectoryInfo(app.Environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "seeds");
            if (File.Exists(Path.Combine(candidate, "sections.yaml")))
            {
                return candidate;
            }
        }
        return Path.Combine(app.Environment.ContentRootPath, "seeds");
    }
}
