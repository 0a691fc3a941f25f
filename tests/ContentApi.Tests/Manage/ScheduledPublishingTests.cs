using System.Text.Json;
using ContentApi.Manage;
using ContentApi.Tests.Infrastructure;
using ContentApi.Tests.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Manage;

/// <summary>
/// The scheduler with several replicas on one database, as behind a load balancer: each scheduled article goes live
/// once, when the database's clock says so, whatever the replicas' own clocks say.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScheduledPublishingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly string[] Scheduled = ["venezuela-defies-the-us", "the-long-memory-of-lepanto", "a-pilgrims-guide-to-chartres", "caracas-and-the-oil-price"];

    [Fact]
    public async Task Three_replicas_publish_a_due_article_once_with_one_event_one_audit_entry_and_one_webhook_per_endpoint()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        var settings = WebhookApi.Settings(dispatcher: true) with { Database = database };
        await using var receiverA = await WebhookReceiver.StartAsync();
        await using var receiverB = await WebhookReceiver.StartAsync();
        await using var first = ApiFactory.With(settings);
        var admin = first.ClientWithKey(await first.CreateKeyAsync("fleet-admin", "admin"));
        foreach (var receiver in new[] { receiverA, receiverB })
        {
            var registered = await (await admin.PostJsonAsync("/v1/manage/webhooks", new { url = receiver.Url, eventTypes = new[] { "article.published" } })).ReadJsonAsync();
            receiver.Secret = registered.GetProperty("secret").GetString();
        }
        long lastChange, lastAudit;
        await using (var before = TestDatabaseServer.OpenContentDb(database))
        {
            lastChange = await before.ContentChanges.MaxAsync(c => (long?)c.Sequence) ?? 0;
            lastAudit = await before.AuditLog.MaxAsync(a => (long?)a.Id) ?? 0;
        }
        var slugs = await ScheduleSeededArticlesAsync(database, "now() + interval '3 seconds'");

        // The other two start now, so all three sleep until the same publishAt and race for the same articles.
        await using var second = ApiFactory.With(settings);
        await using var third = ApiFactory.With(settings);
        var replicas = new[] { first, second, third };
        foreach (var replica in replicas)
        {
            replica.Services.GetRequiredService<ScheduledPublishing>().Wake();
        }

        foreach (var receiver in new[] { receiverA, receiverB })
        {
            await receiver.WaitForAsync(r => Published(r).Distinct().Count() == slugs.Count, Patience, "every scheduled article's webhook");
        }
        // Give a late duplicate its chance: every scheduler looks again and the dispatchers poll ten times.
        foreach (var replica in replicas)
        {
            replica.Services.GetRequiredService<ScheduledPublishing>().Wake();
        }
        await Task.Delay(1000);

        await using var db = TestDatabaseServer.OpenContentDb(database);
        var ids = await db.Articles.Where(a => slugs.Contains(a.Slug)).Select(a => a.Id).ToListAsync();
        Assert.All(await db.Articles.Where(a => slugs.Contains(a.Slug)).Select(a => a.Status).ToListAsync(),
            s => Assert.Equal(ContentApi.Content.ContentStatus.Published, s));
        var events = await db.ContentChanges.Where(c => c.Sequence > lastChange && ids.Contains(c.ResourceId)).Select(c => c.Slug + " " + c.Action).ToListAsync();
        Assert.Equal(slugs.Select(s => s + " published").Order(), events.Order());
        var audit = await db.AuditLog.Where(a => a.Id > lastAudit && ids.Contains(a.ResourceId)).Select(a => a.Slug + " " + a.KeyName + " " + a.Action).ToListAsync();
        Assert.Equal(slugs.Select(s => s + " scheduler publish").Order(), audit.Order());
        Assert.Equal(2 * slugs.Count, await db.WebhookDeliveries.CountAsync(d => d.EventType == "article.published"));
        foreach (var receiver in new[] { receiverA, receiverB })
        {
            Assert.Equal(slugs.Order(), Published(receiver.Requests.ToList()).Order());
            Assert.All(receiver.Requests, r => Assert.True(r.SignatureValid));
        }
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
        await TestDatabaseServer.DropAsync(database);
    }

    [Fact]
    public async Task A_replica_whose_clock_runs_ahead_publishes_nothing_before_the_database_says_it_is_due()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        // One article due a moment ago, one due in five minutes; this replica's clock is ten minutes fast.
        long lastChange;
        await using (var before = TestDatabaseServer.OpenContentDb(database))
        {
            lastChange = await before.ContentChanges.MaxAsync(c => (long?)c.Sequence) ?? 0;
        }
        await ScheduleSeededArticlesAsync(database, "now() - interval '1 second'", Scheduled[..1]);
        await ScheduleSeededArticlesAsync(database, "now() + interval '5 minutes'", Scheduled[1..2]);
        await using var ahead = ApiFactory.With(new ApiSettings { Database = database, Clock = new ShiftedClock(TimeSpan.FromMinutes(10)) });
        ahead.Services.GetRequiredService<ScheduledPublishing>().Wake();

        // Both are read by the same pass, so once the due one is live the other has been judged too.
        var deadline = DateTime.UtcNow + Patience;
        while (await StatusAsync(database, Scheduled[0]) != "published")
        {
            Assert.True(DateTime.UtcNow < deadline, "the due article was never published");
            await Task.Delay(100);
        }
        Assert.Equal("scheduled", await StatusAsync(database, Scheduled[1]));
        await using (var db = TestDatabaseServer.OpenContentDb(database))
        {
            Assert.Equal([Scheduled[0]], await db.ContentChanges.Where(c => c.Sequence > lastChange).Select(c => c.Slug).ToListAsync());
        }
        await ahead.DisposeAsync();
        await TestDatabaseServer.DropAsync(database);
    }

    /// <summary>Turns seeded published articles back into scheduled ones due at <paramref name="publishAt"/> (an SQL expression).</summary>
    private static async Task<List<string>> ScheduleSeededArticlesAsync(string database, string publishAt, string[]? slugs = null)
    {
        slugs ??= Scheduled;
        await using var db = TestDatabaseServer.OpenContentDb(database);
        var found = await db.Articles.Where(a => slugs.Contains(a.Slug)).Select(a => a.Slug).ToListAsync();
        Assert.Equal(slugs.Length, found.Count);
        await TestDatabaseServer.ExecuteAsync(database,
            $"UPDATE articles SET status = 'scheduled', published_at = {publishAt} WHERE slug IN ({string.Join(", ", slugs.Select(s => $"'{s}'"))})");
        return found;
    }

    private static async Task<string> StatusAsync(string database, string slug)
    {
        await using var db = TestDatabaseServer.OpenContentDb(database);
        var status = await db.Articles.Where(a => a.Slug == slug).Select(a => a.Status).SingleAsync();
        return status.ToString().ToLowerInvariant();
    }

    private static IEnumerable<string> Published(IReadOnlyCollection<WebhookReceiver.Received> received) => received
        .Select(r => JsonDocument.Parse(r.Body).RootElement)
        .Where(e => e.GetProperty("type").GetString() == "article.published")
        .Select(e => e.GetProperty("data").GetProperty("slug").GetString()!);
}
