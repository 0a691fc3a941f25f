using System.Net.Http.Headers;
using ContentApi.Keys;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The real API over HTTP (in-memory test server), on a database of its own cloned from the seeded template.
/// One per test class (IClassFixture), so classes run in parallel without seeing each other's writes.
/// Rate limits, the response cache and webhook delivery are off unless a test class turns them on: most tests change
/// the database directly or fire requests faster than a real client would; their own tests cover each.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    private bool _ownsDatabase = true;

    public virtual async Task InitializeAsync() => ConnectionString = await TestDatabaseServer.CloneTemplateAsync();

    /// <summary>Serves a database another factory made (and will drop), as a restarted process would.</summary>
    protected void UseDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        _ownsDatabase = false;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Content", ConnectionString);
        builder.UseSetting("RateLimits:Enabled", "false");
        builder.UseSetting("Delivery:ResponseCache", "false");
        builder.UseSetting("Webhooks:DispatcherEnabled", "false"); // the webhook tests run their own, with receivers
        builder.UseSetting("Shutdown:DrainSeconds", "0");
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
        if (_ownsDatabase)
        {
            await TestDatabaseServer.DropAsync(ConnectionString);
        }
    }
}
