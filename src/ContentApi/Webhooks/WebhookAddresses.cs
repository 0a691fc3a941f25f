using System.Net;
using System.Net.Sockets;

namespace ContentApi.Webhooks;

/// <summary>
/// Which addresses a webhook may reach. Checked when an endpoint is registered (the URL's host, resolved) and again
/// on every connection (the address actually dialled), since DNS can change between the two.
/// </summary>
public static class WebhookAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10                                   // private
                 || (b[0] == 172 && b[1] is >= 16 and <= 31)   // private
                 || (b[0] == 192 && b[1] == 168)               // private
                 || (b[0] == 169 && b[1] == 254)               // link-local, cloud metadata (169.254.169.254)
                 || (b[0] == 100 && b[1] is >= 64 and <= 127)  // carrier-grade NAT
                 || b[0] == 0 || b[0] >= 224);                 // "this network", multicast, reserved
    }

    /// <summary>Why the URL may not be used, or null when it may.</summary>
    public static async Task<string?> ProblemWithAsync(string url, bool allowPrivateNetworks, CancellationToken ct)
    {
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

    /// <summary>A handler that dials only public addresses (unless allowed), never follows redirects and keeps no cookies.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = addresses.Where(a => allowPrivateNetworks || IsPublic(a)).ToArray();
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
