using System.Net;
using System.Text.Json;
using ContentApi.Manage;
using ContentApi.Tests.Infrastructure;
using ContentApi.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Manage;

/// <summary>
/// Embargoes: an article with an unpublishAt leaves the delivery API by itself when that time comes, through the
/// same change an editor's unpublish makes (event, webhook, cache eviction), once however many replicas run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScheduledUnpublishingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string Article = "venezuela-defies-the-us";

    /// <summary>Webhook delivery and the response cache on, as in production; the cache keeps answers far longer than the test.</summary>
    private static ApiSettings Settings(string database) => new()
    {
        Database = database,
        Configuration = new Dictionary<string, string?>(WebhookApi.Settings(dispatcher: true).Configuration)
        {
            ["Delivery:ResponseCache"] = "true",
            ["Delivery:ResponseCacheSeconds"] = "600",
        },
    };

    [Fact]
    public async Task An_article_leaves_delivery_lists_search_feeds_and_sitemaps_at_its_unpublishAt_with_one_event_and_one_webhook()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = ApiFactory.With(Settings(database));
        var admin = api.ClientWithKey(await api.CreateKeyAsync("embargo-admin", "admin"));
        var anonymous = api.ClientWithKey(null);
        var registered = await (await admin.PostJsonAsync("/v1/manage/webhooks",
            new { url = receiver.Url, eventTypes = new[] { "article.unpublished" } })).ReadJsonAsync();
        receiver.Secret = registered.GetProperty("secret").GetString();
        var (lastChange, lastAudit) = await LastChangeAndAuditAsync(database);
        string[] listings = ["/v1/articles?limit=100", "/v1/search?q=venezuela", "/v1/topics/russia/articles?limit=100",
            "/v1/feeds/articles.json", "/v1/sitemaps/articles-1.xml"];

        var url = await admin.ManagedUrlAsync("articles", Article);
        var unpublishAt = DateTimeOffset.UtcNow.AddSeconds(3);
        var published = await (await admin.PostAsync($"{url}/publish", ManageRequests.Json(new { unpublishAt }))).ReadJsonAsync();
        Assert.Equal(unpublishAt, published.GetProperty("unpublishAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        // Read now, so the cache holds each answer and only eviction can change it.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/v1/articles/{Article}")).StatusCode);
        foreach (var listing in listings)
        {
            Assert.Contains(Article, await anonymous.GetStringAsync(listing), StringComparison.Ordinal);
        }

        await receiver.WaitForAsync(r => r.Count > 0, Patience, "the article.unpublished webhook");

        Assert.True(DateTimeOffset.UtcNow >= unpublishAt);
        var gone = await (await anonymous.GetAsync($"/v1/articles/{Article}")).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Contains("withdrawn", gone.GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var listing in listings)
        {
            Assert.DoesNotContain(Article, await anonymous.GetStringAsync(listing), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/articles/{Article}?preview=true")).StatusCode);
        var managed = await admin.GetJsonAsync(url);
        Assert.Equal("draft", managed.GetProperty("status").GetString());
        Assert.Equal(unpublishAt, managed.GetProperty("unpublishAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));

        // Give a late duplicate its chance before counting.
        api.Services.GetRequiredService<ScheduledPublishing>().Wake();
        await Task.Delay(1000);
        await using (var db = TestDatabaseServer.OpenContentDb(database))
        {
            var id = await db.Articles.Where(a => a.Slug == Article).Select(a => a.Id).SingleAsync();
            // The publish that set unpublishAt changed a live article ("updated"); the embargo's end is one "unpublished".
            Assert.Equal(["updated", "unpublished"], await db.ContentChanges.Where(c => c.Sequence > lastChange && c.ResourceId == id).OrderBy(c => c.Sequence).Select(c => c.Action).ToListAsync());
            Assert.Equal(["embargo-admin publish", "scheduler unpublish"],
                await db.AuditLog.Where(a => a.Id > lastAudit && a.ResourceId == id).OrderBy(a => a.Id).Select(a => a.KeyName + " " + a.Action).ToListAsync());
            Assert.Equal(1, await db.WebhookDeliveries.CountAsync(d => d.EventType == "article.unpublished"));
        }
        var webhook = Assert.Single(receiver.Requests);
        Assert.True(webhook.SignatureValid);
        Assert.Equal(Article, JsonDocument.Parse(webhook.Body).RootElement.GetProperty("data").GetProperty("slug").GetString());

        await api.DisposeAsync();
        await TestDatabaseServer.DropAsync(database);
    }

    [Fact]
    public async Task Two_replicas_unpublish_each_due_article_once()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        string[] slugs = [Article, "caracas-and-the-oil-price", "the-organ-at-saint-maurice"];
        var (lastChange, lastAudit) = await LastChangeAndAuditAsync(database);
        await TestDatabaseServer.ExecuteAsync(database,
            $"UPDATE articles SET unpublish_at = now() + interval '3 seconds' WHERE slug IN ({string.Join(", ", slugs.Select(s => $"'{s}'"))})");
        await using var first = ApiFactory.With(Settings(database));
        await using var second = ApiFactory.With(Settings(database));
        var replicas = new[] { first, second };
        foreach (var replica in replicas)
        {
            replica.Services.GetRequiredService<ScheduledPublishing>().Wake();
        }

        var deadline = DateTime.UtcNow + Patience;
        while ((await StatusesAsync(database, slugs)).Any(s => s != "Draft"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the due articles were never unpublished");
            await Task.Delay(100);
        }
        foreach (var replica in replicas)
        {
            replica.Services.GetRequiredService<ScheduledPublishing>().Wake();
        }
        await Task.Delay(1000);

        await using (var db = TestDatabaseServer.OpenContentDb(database))
        {
            var ids = await db.Articles.Where(a => slugs.Contains(a.Slug)).Select(a => a.Id).ToListAsync();
            Assert.Equal(slugs.Select(s => s + " unpublished").Order(),
                (await db.ContentChanges.Where(c => c.Sequence > lastChange && ids.Contains(c.ResourceId)).Select(c => c.Slug + " " + c.Action).ToListAsync()).Order());
            Assert.Equal(slugs.Select(s => s + " scheduler unpublish").Order(),
                (await db.AuditLog.Where(a => a.Id > lastAudit && ids.Contains(a.ResourceId)).Select(a => a.Slug + " " + a.KeyName + " " + a.Action).ToListAsync()).Order());
        }
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
        await TestDatabaseServer.DropAsync(database);
    }

    [Fact]
    public async Task Clearing_unpublishAt_with_null_cancels_the_embargo()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        await using var api = ApiFactory.With(Settings(database));
        var editor = api.ClientWithKey(await api.CreateKeyAsync("embargo-editor", "content:write"));
        var cancelled = await editor.ManagedUrlAsync("articles", Article);
        var kept = await editor.ManagedUrlAsync("articles", "caracas-and-the-oil-price");

        var set = await editor.PostAsync($"{cancelled}/publish", ManageRequests.Json(new { unpublishAt = DateTimeOffset.UtcNow.AddSeconds(2) }));
        var cleared = await (await editor.PatchJsonAsync(cancelled, new { unpublishAt = (DateTimeOffset?)null }, set.Headers.ETag!.ToString())).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("unpublishAt").ValueKind);
        // A later embargo on another article: once it has fired, the scheduler has passed the cancelled one's time too.
        await (await editor.PostAsync($"{kept}/publish", ManageRequests.Json(new { unpublishAt = DateTimeOffset.UtcNow.AddSeconds(3) }))).ReadJsonAsync();

        var deadline = DateTime.UtcNow + Patience;
        while ((await StatusesAsync(database, ["caracas-and-the-oil-price"]))[0] != "Draft")
        {
            Assert.True(DateTime.UtcNow < deadline, "the other embargo never fired");
            await Task.Delay(100);
        }
        Assert.Equal(["Published"], await StatusesAsync(database, [Article]));
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithKey(null).GetAsync($"/v1/articles/{Article}")).StatusCode);

        await api.DisposeAsync();
        await TestDatabaseServer.DropAsync(database);
    }

    [Fact]
    public async Task An_unpublishAt_in_the_past_or_not_after_publishAt_is_a_400_naming_it()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        await using var api = ApiFactory.With(new ApiSettings { Database = database });
        var editor = api.ClientWithKey(await api.CreateKeyAsync("embargo-editor", "content:write"));
        var url = await editor.ManagedUrlAsync("articles", Article);
        var publishAt = DateTimeOffset.UtcNow.AddDays(1);

        foreach (var refused in new[]
                 {
                     await editor.PostAsync($"{url}/publish", ManageRequests.Json(new { unpublishAt = DateTimeOffset.UtcNow.AddMinutes(-1) })),
                     await editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt, unpublishAt = publishAt })),
                     await editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt, unpublishAt = publishAt.AddHours(-1) })),
                     await editor.PatchJsonAsync(url, new { unpublishAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, "*"),
                 })
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("unpublishAt", out _), problem.ToString());
        }

        // A schedule that ends after it starts is taken, and publishing without a body keeps the embargo.
        var scheduled = await (await editor.PostAsync($"{url}/schedule",
            ManageRequests.Json(new { publishAt, unpublishAt = publishAt.AddDays(7) }))).ReadJsonAsync();
        Assert.Equal(publishAt.AddDays(7), scheduled.GetProperty("unpublishAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var published = await (await editor.PostAsync($"{url}/publish", null)).ReadJsonAsync();
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal(publishAt.AddDays(7), published.GetProperty("unpublishAt").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var unpublished = await (await editor.PostAsync($"{url}/unpublish", null)).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, unpublished.GetProperty("unpublishAt").ValueKind);

        await api.DisposeAsync();
        await TestDatabaseServer.DropAsync(database);
    }

    private static async Task<(long Change, long Audit)> LastChangeAndAuditAsync(string database)
    {
        await using var db = TestDatabaseServer.OpenContentDb(database);
        return (await db.ContentChanges.MaxAsync(c => (long?)c.Sequence) ?? 0, await db.AuditLog.MaxAsync(a => (long?)a.Id) ?? 0);
    }

    private static async Task<List<string>> StatusesAsync(string database, string[] slugs)
    {
        await using var db = TestDatabaseServer.OpenContentDb(database);
        return (await db.Articles.Where(a => slugs.Contains(a.Slug)).OrderBy(a => a.Slug).Select(a => a.Status).ToListAsync())
            .Select(s => s.ToString()).ToList();
    }
}
