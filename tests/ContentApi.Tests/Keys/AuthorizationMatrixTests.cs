using System.Net;
using System.Text;
using ContentApi.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ContentApi.Tests.Keys;

/// <summary>
/// Every management endpoint the app maps, called with every kind of key: the status must be the one the cell
/// expects. Endpoints are read from the app's routing, so a new endpoint is in the matrix without editing it.
/// </summary>
public sealed class AuthorizationMatrixTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>
{
    private enum Caller { NoKey, BadKey, Revoked, Expired, Preview, Write, Admin }

    [Fact]
    public async Task Every_management_endpoint_gives_each_kind_of_key_the_expected_status()
    {
        var secrets = new Dictionary<Caller, string?>
        {
            [Caller.NoKey] = null,
            [Caller.BadKey] = "cak_this-is-not-a-key-that-was-ever-issued-000000",
            [Caller.Revoked] = await api.CreateKeyAsync("revoked", "admin"),
            [Caller.Expired] = await api.CreateKeyAsync("expired", "admin"),
            [Caller.Preview] = await api.CreateKeyAsync("preview", "content:preview"),
            [Caller.Write] = await api.CreateKeyAsync("write", "content:write"),
            [Caller.Admin] = await api.CreateKeyAsync("admin", "admin"),
        };
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            await db.ApiKeys.Where(k => k.Name == "revoked").ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
            await db.ApiKeys.Where(k => k.Name == "expired").ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("v1/manage", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m != "HEAD")
                .Select(m => (Method: m, Route: "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().OrderBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
        Assert.True(routes.Count >= 34, $"only {routes.Count} management endpoints were found");

        var table = new StringBuilder($"| endpoint | {string.Join(" | ", Enum.GetNames<Caller>())} |\n");
        var failures = new List<string>();
        foreach (var (method, route) in routes)
        {
            var cells = new List<string>();
            foreach (var caller in Enum.GetValues<Caller>())
            {
                using var client = api.ClientWithKey(secrets[caller]);
                // A random id and an empty object: whoever gets past the key check meets a 400 or 404, never a write.
                var request = new HttpRequestMessage(new HttpMethod(method), Concrete(route));
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = ManageRequests.Json("{}", method == "PATCH" ? "application/merge-patch+json" : "application/json");
                }
                var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                cells.Add(status.ToString(System.Globalization.CultureInfo.InvariantCulture));

                var adminOnly = route.StartsWith("/v1/manage/keys", StringComparison.Ordinal) || route.StartsWith("/v1/manage/webhooks", StringComparison.Ordinal)
                                || route == "/v1/manage/audit";
                var expected = caller switch
                {
                    Caller.NoKey or Caller.BadKey or Caller.Revoked or Caller.Expired => "401",
                    Caller.Preview => "403",
                    Caller.Write when adminOnly => "403",
                    _ => "allowed",
                };
                var ok = expected == "allowed" ? status is not (401 or 403) and < 500 : status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected;
                if (!ok)
                {
                    failures.Add($"{method} {route} with {caller}: expected {expected}, got {status}");
                }
                if (status == 401)
                {
                    Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
                }
                if (status is 401 or 403)
                {
                    await response.AssertProblemAsync(response.StatusCode);
                }
            }
            table.Append($"| {method} {route} | {string.Join(" | ", cells)} |\n");
        }
        output.WriteLine(table.ToString());
        Assert.Empty(failures);
    }

    /// <summary>A route with its parameters filled in: a random id, the first kind a {kind} allows, version 1.</summary>
    private static string Concrete(string route) => System.Text.RegularExpressions.Regex.Replace(route, @"\{(\w+)(?::[^}]*\))?\}", m => m.Groups[1].Value switch
    {
        "id" => Guid.NewGuid().ToString(),
        "kind" => "articles",
        _ => "1",
    });

    [Fact]
    public async Task A_refused_key_is_told_why_and_no_key_is_echoed()
    {
        var secret = await api.CreateKeyAsync("soon-revoked", "content:write");
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            await db.ApiKeys.Where(k => k.Name == "soon-revoked").ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow));
        }

        var response = await api.ClientWithKey(secret).GetAsync("/v1/manage/topics");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
