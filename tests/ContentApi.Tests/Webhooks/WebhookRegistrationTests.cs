using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Webhooks;

/// <summary>Registering a webhook honours Idempotency-Key like every other POST.</summary>
public sealed class WebhookRegistrationTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime
{
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = api.ClientWithKey(await api.CreateKeyAsync("creation-admin", "admin"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Registering_a_webhook_honours_Idempotency_Key()
    {
        var body = new { url = "http://127.0.0.1:9/retried-hook" };
        var first = await _admin.PostJsonAsync("/v1/manage/webhooks", body, "hook-create-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var retry = await _admin.PostJsonAsync("/v1/manage/webhooks", body, "hook-create-1");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await retry.ReadJsonAsync()).GetProperty("secret").ValueKind);

        await (await _admin.PostJsonAsync("/v1/manage/webhooks", new { url = "http://127.0.0.1:9/other-hook" }, "hook-create-1"))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(1, await db.WebhookEndpoints.CountAsync(e => e.Url == "http://127.0.0.1:9/retried-hook"));
    }
}
