using System.Data.Common;
using ContentApi.Content;
using ContentApi.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace ContentApi.Database;

public static class DatabaseSetup
{
    /// <summary>The connection the running API uses: a role that may read and write rows, and nothing more.</summary>
    public const string ConnectionName = "Content";
    /// <summary>The schema owner's connection, for migrations and bulk imports; the API's own when not set.</summary>
    public const string OwnerConnectionName = "ContentMigrations";
    /// <summary>The row-only role that local provisioning creates for the API.</summary>
    public const string LocalAppRole = "contentapi_app";
    public const string LocalDatabaseName = "contentapi";
    /// <summary>
    /// How long one migration statement may run. A backfill or an ANALYZE takes minutes on a large archive (at a
    /// million articles the search statistics alone took over the 30 s default, and the API would not start).
    /// </summary>
    private static readonly TimeSpan MigrationTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Registers the data source and the DbContext. The connection string is read when first needed, so that a
    /// server provisioned after the host is built (<see cref="PrepareDatabaseAsync"/>) is the one used.
    /// </summary>
    public static IServiceCollection AddContentDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton(sp => new DeliveryStatementTimeout(sp.GetRequiredService<IHttpContextAccessor>(),
            configuration.GetValue("Delivery:StatementTimeoutMilliseconds", 5000)));
        services.AddSingleton(sp => BuildDataSource(sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not set.")));
        if (configuration.GetConnectionString(ReadReplica.ConnectionName) is { Length: > 0 } standby)
        {
            // Two pools of contexts, one per server; each request's context comes from the one ReadReplica chose.
            services.AddSingleton(sp => new ReadReplica(BuildDataSource(standby), sp.GetRequiredService<ILogger<ReadReplica>>()));
            services.AddHostedService(sp => sp.GetRequiredService<ReadReplica>());
            services.AddSingleton(sp => new ContentDbPools(
                Pool(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<DeliveryStatementTimeout>()),
                Pool(sp.GetRequiredService<ReadReplica>().DataSource, sp.GetRequiredService<DeliveryStatementTimeout>())));
            services.AddScoped(sp => sp.GetRequiredService<ContentDbPools>().Create(sp.GetRequiredService<IHttpContextAccessor>().HttpContext));
        }
        else
        {
            services.AddDbContextPool<ContentDb>((sp, options) => Configure(options, sp.GetRequiredService<NpgsqlDataSource>())
                .AddInterceptors(sp.GetRequiredService<DeliveryStatementTimeout>()));
        }
        services.AddSingleton<Articles.CardNames>();
        services.AddSingleton<Search.WordFrequencies>();
        services.AddSingleton<DeliveryQueries>();
        services.AddSingleton<Feeds.StoredFeeds>();
        services.AddScoped<SeedImporter>();
        return services;
    }

    internal static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Delivery runs the same few dozen statements over and over: prepared once per connection, they skip
        // PostgreSQL's parsing and planning, which for a small indexed query costs more than running it. A
        // connection string that sets Max Auto Prepare (0 turns it off) wins. Npgsql's own ContainsKey answers true for
        // any keyword it knows, set or not, so the string's keys are read by a plain builder.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 100;
        }
        // No statement here runs long enough to repay compiling it to machine code, but PostgreSQL compiles any whose
        // estimated cost passes jit_above_cost, on every execution. A generic plan's estimates grow with the tables:
        // at a million articles the related articles' statement compiled for 46 ms to run for 3. Options that name jit
        // themselves win.
        var options = builder.ConnectionStringBuilder.Options;
        if (options is null || !options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(options) ? "-c jit=off" : $"{options} -c jit=off";
        }
        return builder.Build();
    }

    private static PooledDbContextFactory<ContentDb> Pool(NpgsqlDataSource dataSource, DeliveryStatementTimeout timeout)
    {
        var options = new DbContextOptionsBuilder<ContentDb>();
        Configure(options, dataSource).AddInterceptors(timeout);
        return new PooledDbContextFactory<ContentDb>(options.Options);
    }

    /// <summary>The primary's pool and the read replica's; a request that <see cref="ReadReplica"/> sent to the standby gets the latter's.</summary>
    private sealed class ContentDbPools(PooledDbContextFactory<ContentDb> primary, PooledDbContextFactory<ContentDb> standby)
    {
        public ContentDb Create(HttpContext? http) =>
            (http?.Features.Get<ReadReplica.StandbyRead>() is not null ? standby : primary).CreateDbContext();
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
            var owner = server.ConnectionStringFor(LocalDatabaseName);
            app.Configuration[$"ConnectionStrings:{OwnerConnectionName}"] = owner;
            app.Configuration[$"ConnectionStrings:{ConnectionName}"] =
                await EnsureAppRoleAsync(owner, LocalAppRole, await LocalPostgres.ReadOrCreateSecretAsync(dataDirectory + ".app-password", ct), ct);
            logger.LogInformation("Database: {Database} on {Server}, the API as {Role}", LocalDatabaseName, server.Description, LocalAppRole);
            provisioned = server.Lifetime;
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            logger.LogInformation("Database: {Database} on {Host}:{Port} (from ConnectionStrings:{Name})",
                builder.Database, builder.Host, builder.Port, ConnectionName);
        }

        await using (await LockSetupAsync(OwnerConnectionString(app.Configuration), ct))
        {
            if (app.Configuration.GetConnectionString(OwnerConnectionName) is { Length: > 0 } ownerConnection)
            {
                if (app.Configuration.GetValue<bool>("Database:CreateApiRole"))
                {
                    var api = new NpgsqlConnectionStringBuilder(app.Configuration.GetConnectionString(ConnectionName));
                    await EnsureAppRoleAsync(ownerConnection, api.Username!, api.Password!, ct);
                }
                var options = new DbContextOptionsBuilder<ContentDb>();
                Configure(options, ownerConnection);
                await using var owner = new ContentDb(options.Options);
                owner.Database.SetCommandTimeout(MigrationTimeout);
                await owner.Database.MigrateAsync(ct);
                await GrantRowAccessAsync(owner, app.Configuration.GetConnectionString(ConnectionName)!, ct);
            }
            else
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
                db.Database.SetCommandTimeout(MigrationTimeout);
                await db.Database.MigrateAsync(ct);
            }
            await Seeding.SyntheticArticles.RestoreSearchIndexAsync(OwnerConnectionString(app.Configuration), logger, ct);
        }
        return provisioned;
    }

    /// <summary>The schema owner's connection string: ConnectionStrings:ContentMigrations, else the API's own.</summary>
    public static string OwnerConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(OwnerConnectionName) is { Length: > 0 } owner
            ? owner
            : configuration.GetConnectionString(ConnectionName)!;

    /// <summary>
    /// Lets the API's role read and write the rows of every table and sequence, the ones this start's migrations
    /// added included; no more (no DDL, no ownership). Run by the owner after each migration.
    /// </summary>
    private static async Task GrantRowAccessAsync(ContentDb owner, string apiConnectionString, CancellationToken ct)
    {
        var apiRole = new NpgsqlConnectionStringBuilder(apiConnectionString).Username;
        var ownerRole = new NpgsqlConnectionStringBuilder(owner.Database.GetConnectionString()).Username;
        if (apiRole is null || apiRole == ownerRole)
        {
            return;
        }
        await ExecuteFormattedAsync(owner.Database.GetConnectionString()!,
            "SELECT format('GRANT USAGE ON SCHEMA public TO %1$I; " +
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %1$I; " +
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %1$I', $1::text)", [apiRole], ct);
    }

    /// <summary>
    /// Creates the login role <paramref name="role"/> when it is missing, without superuser, database or role
    /// rights, sets its password and returns a connection string like <paramref name="ownerConnectionString"/> for it.
    /// </summary>
    public static async Task<string> EnsureAppRoleAsync(string ownerConnectionString, string role, string password, CancellationToken ct)
    {
        await ExecuteFormattedAsync(ownerConnectionString,
            "SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = $1) THEN '' ELSE format('CREATE ROLE %I', $1::text) END " +
            "|| format('; ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', $1::text, $2::text)",
            [role, password], ct);
        return new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = role, Password = password }.ConnectionString;
    }

    /// <summary>Runs the statement that <paramref name="formatSql"/> builds with format(): names and secrets quoted by PostgreSQL.</summary>
    private static async Task ExecuteFormattedAsync(string connectionString, string formatSql, string[] values, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var format = new NpgsqlCommand(formatSql, connection);
        foreach (var value in values)
        {
            format.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        }
        var sql = (string)(await format.ExecuteScalarAsync(ct))!;
        await using var execute = new NpgsqlCommand(sql.TrimStart(';', ' '), connection);
        await execute.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Imports the seeds folder; logs and rethrows what is wrong with it.</summary>
    public static async Task<SeedImporter.Result> ImportSeedsAsync(this IServiceProvider services, string folder, SeedMode mode, CancellationToken ct)
    {
        var seeds = SeedFiles.Read(folder);
        await using (await LockSetupAsync(OwnerConnectionString(services.GetRequiredService<IConfiguration>()), ct))
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
    private static async Task<IAsyncDisposable> LockSetupAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
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
