using System.Net;
using System.Net.Sockets;

namespace ContentApi.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. Checked when an endpoint is registered (the URL's host, resolved) and again
/// on every connection (the address actually dialled), since DNS can change between the two.
/// </summary>
public static class WebhookAddresses
{
    /// <summary>
    /// Ranges no webhook may reach: internal, reserved, and the IPv6 prefixes that carry an IPv4 address a gateway
    /// would dial for us (NAT64, 6to4, Teredo), so that 64:ff9b::a9fe:a9fe cannot stand in for 169.254.169.254.
    /// </summary>
    private static readonly (IPNetwork Network, string Why)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "carrier-grade NAT"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local, cloud metadata"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("224.0.0.0/3"), "multicast, reserved, broadcast"),
        (IPNetwork.Parse("::/96"), "unspecified, loopback, IPv4-compatible"),
        (IPNetwork.Parse("64:ff9b::/96"), "NAT64"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"),
        (IPNetwork.Parse("2001::/32"), "Teredo"),
        (IPNetwork.Parse("2002::/16"), "6to4"),
        (IPNetwork.Parse("fc00::/7"), "unique local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return !Refused.Any(r => r.Network.Contains(address));
    }

    /// <summary>Why the URL may not be used, or null when it may.</summary>
    public static async Task<string?> ProblemWithAsync(string url, WebhookSettings settings, CancellationToken ct)
    {
        var allowPrivateNetworks = settings.AllowPrivateNetworks;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "'url' must be an absolute https URL without credentials.";
        }
        if (allowPrivateNetworks)
        {
            return null;
        }
        if (uri.Scheme != "https")
        {
            return "'url' must use https.";
        }
        if (!AllowedPorts(settings).Contains(uri.Port))
        {
            return $"'url' names port {uri.Port}; webhooks may use port {string.Join(", ", AllowedPorts(settings))} (setting Webhooks:AllowedPorts).";
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.DnsSafeHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        return addresses.Length > 0 && addresses.All(IsPublic)
            ? null
            : $"The host '{uri.Host}' resolves to a loopback, private, link-local or otherwise internal address, which webhooks may not reach.";
    }

    private static int[] AllowedPorts(WebhookSettings settings) => settings.AllowedPorts is { Length: > 0 } ports ? ports : [443];

    /// <summary>
    /// A handler that dials only public addresses on allowed ports (unless private networks are allowed), never follows
    /// redirects, keeps no cookies and ignores HTTP(S)_PROXY: a proxy would connect for us, past the check below.
    /// </summary>
    public static SocketsHttpHandler Handler(WebhookSettings settings) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            if (!settings.AllowPrivateNetworks && !AllowedPorts(settings).Contains(context.DnsEndPoint.Port))
            {
                throw new HttpRequestException($"Port {context.DnsEndPoint.Port} is not one webhooks may use.");
            }
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => settings.AllowPrivateNetworks || IsPublic(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"'{context.DnsEndPoint.Host}' resolves only to addresses webhooks may not reach.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
