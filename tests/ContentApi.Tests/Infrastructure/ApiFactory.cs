using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The real API over HTTP (in-memory test server), on a database of its own cloned from the seeded template.
/// One per test class (IClassFixture), so classes run in parallel without seeing each other's writes.
/// </summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await TestDatabaseServer.CloneTemplateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Content", ConnectionString);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabaseServer.DropAsync(ConnectionString);
    }
}
