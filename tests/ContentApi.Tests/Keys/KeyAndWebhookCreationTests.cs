using System.Net;
using System.Net.Http.Json;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Tests.Keys;

/// <summary>Creating keys and webhooks: one transaction with the audit entry, and Idempotency-Key like every other POST.</summary>
public sealed class KeyAndWebhookCreationTests(WebhookApiFactory api) : IClassFixture<WebhookApiFactory>, IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = api.ClientWithKey(await api.CreateKeyAsync("creation-admin", "admin"));

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostAsync(string url, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return _admin.SendAsync(request);
    }

    [Fact]
    public async Task A_key_whose_audit_entry_cannot_be_written_is_not_created()
    {
        // The audit log refuses key entries for a moment, as a full disk or a lost connection would.
        await ExecuteAsync("""
            CREATE FUNCTION refuse_key_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit_log is not writable'; END $$;
            CREATE TRIGGER refuse_key_audit BEFORE INSERT ON audit_log FOR EACH ROW
            WHEN (NEW.resource_type = 'key') EXECUTE FUNCTION refuse_key_audit();
            """);
        HttpResponseMessage response;
        try
        {
            response = await PostAsync("/v1/manage/keys", new { name = "unaudited", scopes = new[] { "content:preview" } }, null);
        }
        finally
        {
            await ExecuteAsync("DROP TRIGGER refuse_key_audit ON audit_log; DROP FUNCTION refuse_key_audit();");
        }

        Assert.False(response.IsSuccessStatusCode);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "unaudited"), "the key was stored without its audit entry");
    }

    [Fact]
    public async Task Creating_a_key_honours_Idempotency_Key_and_never_replays_the_secret()
    {
        var body = new { name = "retried-key", scopes = new[] { "content:preview" } };
        var first = await PostAsync("/v1/manage/keys", body, "key-create-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await first.ReadJsonAsync();
        Assert.StartsWith("cak_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);

        var retry = await PostAsync("/v1/manage/keys", body, "key-create-1");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var replayed = await retry.ReadJsonAsync();
        Assert.Equal(created.GetProperty("key").GetProperty("id").GetString(), replayed.GetProperty("key").GetProperty("id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, replayed.GetProperty("secret").ValueKind); // only its hash is kept

        await (await PostAsync("/v1/manage/keys", new { name = "another-key", scopes = new[] { "admin" } }, "key-create-1"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(1, await db.ApiKeys.CountAsync(k => k.Name == "retried-key"));
        Assert.False(await db.ApiKeys.AnyAsync(k => k.Name == "another-key"));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.ResourceType == "key" && a.Slug == "retried-key"));
    }

    [Fact]
    public async Task Registering_a_webhook_honours_Idempotency_Key()
    {
        var body = new { url = "http://127.0.0.1:9/retried-hook" };
        var first = await PostAsync("/v1/manage/webhooks", body, "hook-create-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var retry = await PostAsync("/v1/manage/webhooks", body, "hook-create-1");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await retry.ReadJsonAsync()).GetProperty("secret").ValueKind);

        await (await PostAsync("/v1/manage/webhooks", new { url = "http://127.0.0.1:9/other-hook" }, "hook-create-1"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(1, await db.WebhookEndpoints.CountAsync(e => e.Url == "http://127.0.0.1:9/retried-hook"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
