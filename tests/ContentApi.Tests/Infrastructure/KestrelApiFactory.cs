using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Infrastructure;

/// <summary>The API on real Kestrel on a loopback port, for clients outside this process (node, a browser).</summary>
public class KestrelApiFactory : ApiFactory
{
    public KestrelApiFactory() => UseKestrel(0);

    /// <summary>Starts the server and gives its address, e.g. http://127.0.0.1:41234.</summary>
    public string Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
    }
}
