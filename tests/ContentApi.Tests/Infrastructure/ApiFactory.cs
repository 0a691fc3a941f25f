using System.Collections.Concurrent;
using System.Net.Http.Headers;
using ContentApi.Keys;
using ContentApi.Seeding;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ContentApi.Tests.Infrastructure;

/// <summary>What a test class needs of its API beyond the test defaults (see <see cref="ApiFactory"/>).</summary>
public sealed record ApiSettings
{
    /// <summary>Configuration values laid over the test defaults, e.g. <c>["Delivery:ResponseCache"] = "true"</c>.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Real Kestrel on a loopback port (<see cref="ApiFactory.Start"/>), for clients outside this process
    /// and for requests that need a client address.</summary>
    public bool RealPort { get; init; }

    /// <summary>A database the caller made and drops, served instead of a fresh clone: a second or restarted process.</summary>
    public string? Database { get; init; }

    /// <summary>Synthetic articles generated into the clone before the first test, for an archive larger than the seeds.</summary>
    public int SyntheticArticles { get; init; }

    /// <summary>Keep every log line the app writes, down to debug, in <see cref="ApiFactory.LogLines"/>.</summary>
    public bool KeepLogs { get; init; }

    /// <summary>The clock the app reads instead of the system's, for a replica whose clock is off.</summary>
    public TimeProvider? Clock { get; init; }
}

/// <summary>
/// The real API over HTTP (in-memory test server, or Kestrel with <see cref="ApiSettings.RealPort"/>), on a database
/// of its own cloned from the seeded template. One per test class (IClassFixture), so classes run in parallel without
/// seeing each other's writes; a class that needs other settings names them in a fixture of its own,
/// <c>sealed class CachedApi() : ApiFactory(new ApiSettings { ... })</c>, and a test that needs an API of its own
/// takes <c>ApiFactory.With(settings)</c>.
/// Rate limits, the response cache and webhook delivery are off unless the settings turn them on: most tests change
/// the database directly or fire requests faster than a real client would; their own tests cover each.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly ApiSettings _settings;

    public ApiFactory() : this(new ApiSettings())
    {
    }

    // xunit builds a fixture through its one public constructor: presets pass their settings here, one-off APIs use With.
    protected ApiFactory(ApiSettings settings)
    {
        _settings = settings;
        ConnectionString = settings.Database ?? "";
        if (settings.RealPort)
        {
            UseKestrel(0);
        }
    }

    /// <summary>An API with these settings, for a test that starts (and disposes) its own.</summary>
    public static ApiFactory With(ApiSettings settings) => new(settings);

    public string ConnectionString { get; private set; }

    /// <summary>What the app logged, when <see cref="ApiSettings.KeepLogs"/> is set.</summary>
    public ConcurrentQueue<string> LogLines { get; } = new();

    public async Task InitializeAsync()
    {
        if (_settings.Database is not null)
        {
            return;
        }
        ConnectionString = await TestDatabaseServer.CloneTemplateAsync();
        if (_settings.SyntheticArticles > 0)
        {
            await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
            await SyntheticArticles.GenerateAsync(Services, dataSource, _settings.SyntheticArticles, TextWriter.Null, CancellationToken.None);
        }
    }

    protected sealed override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Content", ConnectionString);
        builder.UseSetting("RateLimits:Enabled", "false");
        builder.UseSetting("Delivery:ResponseCache", "false");
        builder.UseSetting("Webhooks:DispatcherEnabled", "false"); // the webhook tests run their own, with receivers
        builder.UseSetting("Shutdown:DrainSeconds", "0");
        foreach (var (key, value) in _settings.Configuration)
        {
            builder.UseSetting(key, value);
        }
        if (_settings.KeepLogs)
        {
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new QueueLogger(LogLines)));
        }
        if (_settings.Clock is { } clock)
        {
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }
    }

    /// <summary>Starts Kestrel (<see cref="ApiSettings.RealPort"/>) and gives its address, e.g. http://127.0.0.1:41234.</summary>
    public string Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }

    /// <summary>Issues a key straight into this factory's database, as the <c>keys create</c> command does.</summary>
    public async Task<string> CreateKeyAsync(string name, params string[] scopes)
    {
        await using var db = TestDatabaseServer.OpenContentDb(ConnectionString);
        var (_, secret) = ApiKeySecrets.Issue(db, name, scopes, null, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        return secret;
    }

    /// <summary>A client that sends the key on every request, and does not follow redirects.</summary>
    public HttpClient ClientWithKey(string? secret)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_settings.Database is null)
        {
            await TestDatabaseServer.DropAsync(ConnectionString);
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + exception);
        public void Dispose() { }
    }
}

/// <summary>The API on a real loopback port, for clients outside this process (node, a browser, a fuzzer).</summary>
public sealed class KestrelApi() : ApiFactory(new ApiSettings { RealPort = true });
