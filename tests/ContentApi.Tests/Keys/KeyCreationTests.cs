using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Keys;

/// <summary>Creating a key: one transaction with the audit entry, and Idempotency-Key like every other POST.</summary>
public sealed class KeyCreationTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = api.ClientWithKey(await api.CreateKeyAsync("creation-admin", "admin"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_key_whose_audit_entry_cannot_be_written_is_not_created()
    {
        // The audit log refuses key entries for a moment, as a full disk or a lost connection would.
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, """
            CREATE FUNCTION refuse_key_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is not writable'; END $$;
            CREATE TRIGGER refuse_key_audit BEFORE INSERT ON audit_log FOR EACH ROW
            WHEN (NEW.resource_type = 'key') EXECUTE FUNCTION refuse_key_audit();
            """);
        HttpResponseMessage response;
        try
        {
            response = await _admin.PostJsonAsync("/v1/manage/keys", new { name = "unaudited", scopes = new[] { "content:preview" } }, null);
        }
        finally
        {
            await TestDatabaseServer.ExecuteAsync(api.ConnectionString, "DROP TRIGGER refuse_key_audit ON audit_log; DROP FUNCTION refuse_key_audit();");
        }

        Assert.False(response.IsSuccessStatusCode);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "unaudited"), "the key was stored without its audit entry");
    }

    [Fact]
    public async Task Creating_a_key_honours_Idempotency_Key_and_never_replays_the_secret()
    {
        var body = new { name = "retried-key", scopes = new[] { "content:preview" } };
        var first = await _admin.PostJsonAsync("/v1/manage/keys", body, "key-create-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.ReadJsonAsync();
        Assert.StartsWith("cak_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);

        var retry = await _admin.PostJsonAsync("/v1/manage/keys", body, "key-create-1");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var replayed = await retry.ReadJsonAsync();
        Assert.Equal(created.GetProperty("key").GetProperty("id").GetString(), replayed.GetProperty("key").GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, replayed.GetProperty("secret").ValueKind); // only its hash is kept

        await (await _admin.PostJsonAsync("/v1/manage/keys", new { name = "another-key", scopes = new[] { "admin" } }, "key-create-1"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(1, await db.ApiKeys.CountAsync(k => k.Name == "retried-key"));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "another-key"));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.ResourceType == "key" && a.Slug == "retried-key"));
    }
}
