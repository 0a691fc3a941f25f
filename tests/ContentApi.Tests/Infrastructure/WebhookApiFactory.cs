using Microsoft.AspNetCore.Hosting;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The API with its webhook dispatcher running fast and allowed to reach loopback receivers. Given a connection
/// string, it opens an existing database instead of a fresh clone: a "restarted" API.
/// </summary>
public sealed class WebhookApiFactory : ApiFactory
{
    private readonly string? _existingDatabase;
    private readonly bool _dispatcher;

    public WebhookApiFactory() : this(null, dispatcher: true)
    {
    }

    /// <summary>An API process on a database that outlives it (the caller drops it).</summary>
    public static WebhookApiFactory OnDatabase(string database, bool dispatcher) => new(database, dispatcher);

    private WebhookApiFactory(string? existingDatabase, bool dispatcher)
    {
        _existingDatabase = existingDatabase;
        _dispatcher = dispatcher;
    }

    public override async Task InitializeAsync()
    {
        if (_existingDatabase is null)
        {
            await base.InitializeAsync();
        }
        else
        {
            UseDatabase(_existingDatabase);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Webhooks:DispatcherEnabled", _dispatcher ? "true" : "false");
        builder.UseSetting("Webhooks:AllowPrivateNetworks", "true");
        builder.UseSetting("Webhooks:RetryBaseMilliseconds", "200");
        builder.UseSetting("Webhooks:PollMilliseconds", "100");
        builder.UseSetting("Webhooks:TimeoutSeconds", "2");
    }
}
