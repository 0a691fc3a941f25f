using System.Net;
using ContentApi.Keys;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Keys;

/// <summary>The API with every log line it writes, down to debug, kept for inspection.</summary>
public sealed class LoggedApi() : ApiFactory(new ApiSettings { KeepLogs = true });

public sealed class KeyTests(LoggedApi api) : IClassFixture<LoggedApi>
{
    [Fact]
    public async Task The_command_line_creates_lists_and_revokes_keys_showing_the_secret_once()
    {
        var created = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(api.Services, ["create", "--name", "cli-made", "--scope", "content:write"], created));
        var secret = created.ToString().Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(ApiKeySecrets.SecretPrefix, StringComparison.Ordinal));
        Assert.Equal(47, secret.Length);

        var client = api.ClientWithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/manage/topics")).StatusCode);

        var listed = new StringWriter();
        await KeysCommand.RunAsync(api.Services, ["list"], listed);
        Assert.Contains("cli-made", listed.ToString(), StringComparison.Ordinal);
        Assert.Contains(secret[..12], listed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.ToString(), StringComparison.Ordinal);

        var id = listed.ToString().Split('\n').Single(l => l.Contains("cli-made", StringComparison.Ordinal)).Split(' ')[0];
        Assert.Equal(0, await KeysCommand.RunAsync(api.Services, ["revoke", id], new StringWriter()));
        await (await client.GetAsync("/v1/manage/topics")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(2, await KeysCommand.RunAsync(api.Services, ["create", "--name", "no-scope"], new StringWriter()));
        Assert.Equal(2, await KeysCommand.RunAsync(api.Services, ["create", "--name", "bad", "--scope", "root"], new StringWriter()));
        AssertNeverLogged(secret);
    }

    [Fact]
    public async Task An_admin_key_manages_keys_over_http_and_no_secret_is_shown_again_or_logged()
    {
        var admin = api.ClientWithKey(await api.CreateKeyAsync("http-admin", "admin"));

        var response = await admin.PostJsonAsync("/v1/manage/keys",
            new { name = "partner-preview", scopes = new[] { "content:preview" }, expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadJsonAsync();
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("key").GetProperty("id").GetGuid();

        var partner = api.ClientWithKey(secret);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/v1/articles/notes-on-a-draft-about-harvests?preview=true")).StatusCode);
        var forbidden = await (await partner.GetAsync("/v1/manage/articles")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("'content:write'", forbidden.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await admin.GetStringAsync("/v1/manage/keys");
        Assert.Contains("partner-preview", list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", list, StringComparison.OrdinalIgnoreCase);
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            var stored = await db.ApiKeys.SingleAsync(k => k.Id == id);
            Assert.Equal(ApiKeySecrets.Hash(secret), stored.SecretHash);
            Assert.NotNull(stored.LastUsedAt);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/manage/keys/{id}")).StatusCode);
        var refused = await partner.GetAsync("/v1/articles/notes-on-a-draft-about-harvests?preview=true");
        await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        AssertNeverLogged(secret);
    }

    [Fact]
    public async Task Every_change_is_audited_with_the_name_of_the_key_that_made_it()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("night-desk", "content:write"));

        var created = await (await editor.PostJsonAsync("/v1/manage/topics", new { slug = "audited", name = "Audited" })).ReadJsonAsync();
        var url = $"/v1/manage/topics/{created.GetProperty("id").GetGuid()}";
        await (await editor.PatchJsonAsync(url, new { name = "Audited twice" }, "\"1\"")).ReadJsonAsync();
        await editor.DeleteAsync(url, "\"2\"");

        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var entries = await db.AuditLog.Where(a => a.Slug == "audited").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["create", "patch", "delete"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("night-desk", e.KeyName));
        Assert.All(entries, e => Assert.True(DateTimeOffset.UtcNow - e.At < TimeSpan.FromMinutes(1)));
        Assert.Equal([1, 2, 3], entries.Select(e => e.Version ?? 0));

        // Admins read the same log over HTTP, newest first.
        var admin = api.ClientWithKey(await api.CreateKeyAsync("auditor", "admin"));
        var log = await admin.GetJsonAsync($"/v1/manage/audit?resourceId={entries[0].ResourceId}");
        Assert.Equal(["delete", "patch", "create"], log.GetProperty("items").Strings("action"));
        Assert.All(log.GetProperty("items").EnumerateArray(), e => Assert.Equal("night-desk", e.GetProperty("keyName").GetString()));
    }

    [Theory]
    [InlineData("Bearer cak_not-a-key-anyone-issued")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    public async Task A_delivery_request_with_an_invalid_key_is_a_401_not_an_anonymous_answer(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles/venezuela-defies-the-us");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await api.ClientWithKey(null).SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // Without the header the same address is public, and a valid key is served too.
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithKey(null).GetAsync("/v1/articles/venezuela-defies-the-us")).StatusCode);
        var keyed = api.ClientWithKey(await api.CreateKeyAsync("valid-reader", "content:preview"));
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/v1/articles/venezuela-defies-the-us")).StatusCode);
    }

    private void AssertNeverLogged(string secret)
    {
        Assert.NotEmpty(api.LogLines);
        Assert.DoesNotContain(api.LogLines, line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(secret[12..], StringComparison.Ordinal));
    }
}
