using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Database;

/// <summary>
/// ConnectionStrings:ContentReadReplica routes anonymous delivery reads away from the primary. Here the "replica" is a
/// second database whose copy of one article is stale, so every answer shows which server it came from. (The lag
/// check against a real streaming standby is proven by fleet/test.sh, which pauses a standby's replay.)
/// </summary>
[Trait("Category", "Slow")]
public sealed class ReadReplicaTests : IAsyncLifetime
{
    private const string Slug = "venezuela-defies-the-us";
    private const string StaleTitle = "A stale copy on the replica";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private string _replica = "";
    private ApiFactory _api = null!;

    public async Task InitializeAsync()
    {
        _replica = await TestDatabaseServer.CloneTemplateAsync();
        await TestDatabaseServer.ExecuteAsync(_replica, $"UPDATE articles SET title = '{StaleTitle}' WHERE slug = '{Slug}'; DELETE FROM content_changes");
        _api = ApiFactory.With(new ApiSettings { KeepLogs = true, Configuration = new Dictionary<string, string?> { ["ConnectionStrings:ContentReadReplica"] = _replica } });
        await _api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_api).DisposeAsync();
        await TestDatabaseServer.DropAsync(_replica);
    }

    private async Task WaitForReplicaAsync(HttpClient anonymous)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await TitleAsync(anonymous) != StaleTitle)
        {
            Assert.True(DateTime.UtcNow < deadline, "anonymous reads never reached the replica");
            await Task.Delay(50);
        }
    }

    private static async Task<string?> TitleAsync(HttpClient client, string query = "") =>
        (await client.GetJsonAsync($"/v1/articles/{Slug}{query}")).GetProperty("title").GetString();

    [Fact]
    public async Task Anonymous_delivery_reads_go_to_the_replica_and_keyed_reads_management_and_the_change_feed_to_the_primary()
    {
        var anonymous = _api.ClientWithKey(null);
        var editor = _api.ClientWithKey(await _api.CreateKeyAsync("replica-editor", "content:write"));
        await WaitForReplicaAsync(anonymous);

        Assert.Equal(StaleTitle, await TitleAsync(anonymous));
        var primaryTitle = await TitleAsync(editor);
        Assert.NotEqual(StaleTitle, primaryTitle);
        Assert.Equal(primaryTitle, await TitleAsync(editor, "?preview=true"));
        var managed = await editor.GetJsonAsync(await editor.ManagedUrlAsync("articles", Slug));
        Assert.Equal(primaryTitle, managed.GetProperty("title").GetString());
        // The replica's change log is empty; the primary's holds the seeding.
        Assert.NotEmpty((await anonymous.GetJsonAsync("/v1/changes?limit=5")).GetProperty("items").EnumerateArray());
        // Lists and cards read through the hand-written queries go to the replica too.
        Assert.Contains(StaleTitle, await anonymous.GetStringAsync("/v1/articles?limit=100"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_replica_fails_every_read_is_answered_by_the_primary()
    {
        var anonymous = _api.ClientWithKey(null);
        await WaitForReplicaAsync(anonymous);

        // A replica that is up but fails the delivery queries: each read fails there, mid-request, and runs again on the primary.
        await TestDatabaseServer.ExecuteAsync(_replica, "DROP TABLE articles CASCADE");
        await AssertAllAnsweredByThePrimaryAsync(anonymous);
        Assert.Contains(_api.LogLines, l => l.Contains("The read replica failed", StringComparison.Ordinal));

        // A replica that vanishes under the pooled connections that were reading from it.
        await TestDatabaseServer.DropAsync(_replica);
        await AssertAllAnsweredByThePrimaryAsync(anonymous);
    }

    private static async Task AssertAllAnsweredByThePrimaryAsync(HttpClient anonymous)
    {
        for (var i = 0; i < 20; i++)
        {
            var article = await anonymous.GetAsync($"/v1/articles/{Slug}");
            Assert.Equal(HttpStatusCode.OK, article.StatusCode);
            Assert.DoesNotContain(StaleTitle, await article.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/articles?limit=20")).StatusCode);
        }
    }
}
