using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Observability;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>
/// Makes scheduled articles published when their time comes, with no request or restart needed: it sleeps until
/// the next publishAt (or at most <see cref="PollInterval"/>, to see schedules other instances made), flips what is
/// due, records it in the audit log and evicts what it made stale from the delivery cache.
/// </summary>
public sealed class ScheduledPublishing(IServiceScopeFactory scopes, DeliveryCacheFollower cache, Webhooks.WebhookDispatcher webhooks,
    TimeProvider clock, ILogger<ScheduledPublishing> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);
    private readonly SemaphoreSlim wake = new(0);

    /// <summary>A schedule changed here: look again now rather than at the next poll.</summary>
    public void Wake() => wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = PollInterval;
            try
            {
                delay = await PublishDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Scheduled publishing failed; retrying in {Delay}", PollInterval);
            }
            try
            {
                await wake.WaitAsync(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes what is due and returns how long to sleep.</summary>
    private async Task<TimeSpan> PublishDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        var now = clock.GetUtcNow();
        var due = await db.Articles
            .Where(a => a.Status == ContentStatus.Scheduled && a.PublishedAt <= now)
            .ToListAsync(ct);
        foreach (var article in due)
        {
            article.Status = ContentStatus.Published;
            article.UpdatedAt = now;
            article.Version++;
            db.AuditLog.Add(new AuditEntry
            {
                At = now, KeyName = "scheduler", Action = "publish", ResourceType = "article",
                ResourceId = article.Id, Slug = article.Slug, Version = article.Version,
            });
        }
        if (due.Count > 0)
        {
            try
            {
                await Changes.ContentChanges.SaveAsync(db, now, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return TimeSpan.Zero; // an editor changed one of them meanwhile: look again
            }
            await cache.CatchUpAsync(ct);
            ContentMetrics.SchedulerLag.Record(due.Max(a => now - a.PublishedAt!.Value).TotalSeconds);
            webhooks.Wake();
            logger.LogInformation("Published {Count} scheduled articles", due.Count);
        }

        var next = await db.Articles.Where(a => a.Status == ContentStatus.Scheduled).MinAsync(a => a.PublishedAt, ct);
        return next is { } at && at - now < PollInterval ? (at - now < TimeSpan.Zero ? TimeSpan.Zero : at - now) : PollInterval;
    }
}
