using ContentApi.Housekeeping;
using ContentApi.Manage;
using ContentApi.Tests.Infrastructure;
using ContentApi.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Housekeeping;

public sealed class RetentionPruningTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Pruning_removes_what_outlived_its_retention_and_nothing_younger()
    {
        var now = DateTimeOffset.UtcNow;
        var endpointId = Guid.CreateVersion7();
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = endpointId, Url = "https://partner.example.org/hooks", Secret = WebhookSignature.NewSecret(), CreatedAt = now, UpdatedAt = now,
            });
            // Defaults: deliveries 30 days, idempotency keys 24 hours, audit entries 365 days.
            foreach (var (name, age) in new[] { ("old-delivered", TimeSpan.FromDays(31)), ("young-delivered", TimeSpan.FromDays(29)) })
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EndpointId = endpointId, EventType = "topic.created", Payload = name, Status = "delivered",
                    CreatedAt = now - age, NextAttemptAt = now - age, DeliveredAt = now - age,
                });
            }
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = endpointId, EventType = "topic.created", Payload = "old-held", Status = "pending",
                CreatedAt = now - TimeSpan.FromDays(40), NextAttemptAt = now - TimeSpan.FromDays(40),
            });
            foreach (var (key, age) in new[] { ("old-key", TimeSpan.FromHours(25)), ("young-key", TimeSpan.FromHours(23)) })
            {
                db.IdempotentRequests.Add(new IdempotentRequest { ApiKeyId = Guid.CreateVersion7(), Key = key, RequestHash = [1], CreatedAt = now - age });
            }
            foreach (var (name, age) in new[] { ("old-audit", TimeSpan.FromDays(366)), ("young-audit", TimeSpan.FromDays(364)),
                         ("month-old-audit", TimeSpan.FromDays(31)) })
            {
                db.AuditLog.Add(new AuditEntry { At = now - age, KeyName = name, Action = "create", ResourceType = "topic", ResourceId = Guid.CreateVersion7() });
            }
            await db.SaveChangesAsync();
        }

        var pruned = await api.Services.GetRequiredService<RetentionPruning>().PruneAsync(CancellationToken.None);

        Assert.Equal(new RetentionPruning.Pruned(WebhookDeliveries: 2, IdempotencyKeys: 1, AuditEntries: 1), pruned);
        await using var check = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(["young-delivered"], await check.WebhookDeliveries.Where(d => d.EndpointId == endpointId).Select(d => d.Payload).ToListAsync());
        var keys = await check.IdempotentRequests.Select(r => r.Key).ToListAsync();
        Assert.Contains("young-key", keys);
        Assert.DoesNotContain("old-key", keys);
        var audit = await check.AuditLog.Select(a => a.KeyName).ToListAsync();
        Assert.Contains("young-audit", audit);
        Assert.Contains("month-old-audit", audit); // older than the deliveries' period, younger than the audit's
        Assert.DoesNotContain("old-audit", audit);

        // A second run finds nothing more.
        Assert.Equal(new RetentionPruning.Pruned(0, 0, 0), await api.Services.GetRequiredService<RetentionPruning>().PruneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Pruning_removes_stored_feeds_that_can_no_longer_be_served_and_were_rendered_over_a_day_ago()
    {
        // A current rendering, made through the API and then aged, and three copies of it that no reader can get.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.CreateClient().GetAsync("/v1/topics/china/feed.json")).StatusCode);
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, """
            UPDATE feed_renderings SET rendered_at = now() - interval '2 days' WHERE key LIKE '%/v1/topics/china/feed.json';
            INSERT INTO feed_renderings (key, scope_kind, scope_key, scope_generation, names_generation, valid_until, last_modified, body, rendered_at)
            SELECT v.key, r.scope_kind, r.scope_key, r.scope_generation + v.scope_moved, r.names_generation + v.names_moved,
                   now() + v.valid_for, r.last_modified, r.body, now() - v.age
            FROM feed_renderings r,
                 (VALUES ('old-scope-moved', 1, 0, interval '1 hour', interval '2 days'),
                         ('old-names-moved', 0, 1, interval '1 hour', interval '2 days'),
                         ('old-expired', 0, 0, interval '-1 hour', interval '2 days'),
                         ('young-scope-moved', 1, 0, interval '1 hour', interval '1 hour')) AS v (key, scope_moved, names_moved, valid_for, age)
            WHERE r.key LIKE '%/v1/topics/china/feed.json';
            """);

        var pruned = await api.Services.GetRequiredService<RetentionPruning>().PruneAsync(CancellationToken.None);

        Assert.Equal(3, pruned.FeedRenderings);
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var keys = new Npgsql.NpgsqlCommand("SELECT key FROM feed_renderings ORDER BY key", connection);
        var left = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                left.Add(reader.GetString(0));
            }
        }
        Assert.Equal(2, left.Count);
        Assert.Contains("young-scope-moved", left);
        Assert.Contains(left, key => key.EndsWith("/v1/topics/china/feed.json", StringComparison.Ordinal));
    }
}
