using System.Net;
using ContentApi.Webhooks;

namespace ContentApi.Tests.Webhooks;

/// <summary>The address guard on its own: which addresses and ports a webhook may reach, in both families.</summary>
public sealed class WebhookAddressesTests
{
    [Theory]
    // IPv4: this network, private, loopback, carrier-grade NAT, link-local (metadata), IETF protocol assignments,
    // benchmarking, multicast and reserved, broadcast.
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.1")]
    [InlineData("192.0.0.255")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // IPv6: unspecified, loopback, link-local, site-local, unique local, multicast.
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::10.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    // IPv6 forms that carry an IPv4 address: mapped, NAT64 (well-known and local-use), 6to4, Teredo.
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("64:ff9b:1:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2002:a00:1::1")]
    [InlineData("2002:808:808::1")]
    [InlineData("2001::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:0:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Internal_and_tunnelled_addresses_are_refused(string address) =>
        Assert.False(WebhookAddresses.IsPublic(IPAddress.Parse(address)), $"{address} must be refused");

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.215.14")]
    [InlineData("9.255.255.255")]     // just below 10.0.0.0/8
    [InlineData("100.128.0.1")]       // just above 100.64.0.0/10
    [InlineData("172.32.0.1")]        // just above 172.16.0.0/12
    [InlineData("192.0.1.1")]         // just above 192.0.0.0/24
    [InlineData("198.17.255.255")]    // just below 198.18.0.0/15
    [InlineData("198.20.0.1")]        // just above it
    [InlineData("223.255.255.254")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("2001:4860:4860::8888")] // 2001:4860::/32 is not Teredo's 2001::/32
    [InlineData("2001:1::1")]
    [InlineData("2003::1")]              // just above 2002::/16
    [InlineData("64:ff9b:2::1")]         // beside the NAT64 local-use /48
    [InlineData("64:ff9b:0:0:1::1")]     // inside 64:ff9b::/48 but outside the well-known /96
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(WebhookAddresses.IsPublic(IPAddress.Parse(address)), $"{address} must be allowed");

    [Theory]
    [InlineData("https://8.8.8.8/hooks", null)]
    [InlineData("https://8.8.8.8:443/hooks", null)]
    [InlineData("https://[2606:4700:4700::1111]/hooks", null)]
    [InlineData("https://8.8.8.8:8443/hooks", "port")]
    [InlineData("https://8.8.8.8:22/hooks", "port")]
    [InlineData("https://[2606:4700:4700::1111]:6379/hooks", "port")]
    [InlineData("http://8.8.8.8/hooks", "https")]
    [InlineData("https://user:pw@8.8.8.8/hooks", "credentials")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/latest/meta-data", "internal")]
    [InlineData("https://[2002:a9fe:a9fe::1]/hooks", "internal")]
    [InlineData("https://198.18.0.10/hooks", "internal")]
    public async Task Registration_refuses_other_ports_schemes_and_internal_hosts(string url, string? refusal)
    {
        var problem = await WebhookAddresses.ProblemWithAsync(url, new WebhookSettings(), CancellationToken.None);
        if (refusal is null)
        {
            Assert.Null(problem);
        }
        else
        {
            Assert.NotNull(problem);
            Assert.Contains(refusal, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_port_named_in_the_setting_is_allowed()
    {
        var settings = new WebhookSettings { AllowedPorts = [443, 8443] };
        Assert.Null(await WebhookAddresses.ProblemWithAsync("https://8.8.8.8:8443/hooks", settings, CancellationToken.None));
        Assert.NotNull(await WebhookAddresses.ProblemWithAsync("https://8.8.8.8:9443/hooks", settings, CancellationToken.None));
    }

    [Fact]
    public void The_sending_client_ignores_proxy_environment_variables()
    {
        // A proxy would dial the receiver for us, past the address check in ConnectCallback.
        using var handler = WebhookAddresses.Handler(new WebhookSettings());
        Assert.False(handler.UseProxy);
        Assert.Null(handler.Proxy);
        Assert.False(handler.AllowAutoRedirect);
    }
}
