using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ContentApi.Http;

/// <summary>
/// ForwardedHeaders: the reverse proxies (addresses) and proxy networks (CIDR, e.g. 10.0.0.0/8) whose
/// X-Forwarded-For is believed. Empty (the default): none is, and a client is known by the address it connects from.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public string[] KnownProxies { get; init; } = [];
    public string[] KnownNetworks { get; init; } = [];
}

/// <summary>Who an anonymous client is, for its rate limit: its address, as the configured proxies report it.</summary>
public static class ClientAddresses
{
    /// <summary>
    /// Reads the settings at start-up, so that a mistake in them stops the API with a message rather than on the
    /// first request.
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("ForwardedHeaders").Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        var proxies = settings.KnownProxies.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies holds '{p}', which is not an IP address.")).ToList();
        var networks = settings.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks holds '{n}', which is not a network such as 10.0.0.0/8.")).ToList();
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The framework trusts loopback by default; here only what is configured is trusted.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
        });
    }

    /// <summary>
    /// Takes the client address from X-Forwarded-For when a configured proxy sent it. With no proxy configured the
    /// middleware would believe anyone's header, so it is left out then.
    /// </summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        return options.KnownProxies.Count > 0 || options.KnownIPNetworks.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    /// <summary>
    /// The rate-limit identity of an address: an IPv4 address itself; for IPv6, its /64 prefix, since one
    /// subscriber is usually given a whole /64 and could otherwise take a fresh address for every request.
    /// </summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
