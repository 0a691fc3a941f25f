using ContentApi.Changes;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Observability;
using ContentApi.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>
/// Makes scheduled articles published when their time comes, with no request or restart needed: it sleeps until
/// the next publishAt (or at most <see cref="PollInterval"/>, to see schedules other instances made), flips what is
/// due, records it in the audit log and evicts what it made stale from the delivery cache. "Due" is by the
/// database's clock, the one every replica shares, and any number of replicas may run it: each article goes live once.
/// </summary>
public sealed class ScheduledPublishing(IServiceScopeFactory scopes, DeliveryCacheFollower cache, WebhookDispatcher webhooks,
    ILogger<ScheduledPublishing> logger) : BackgroundService
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
        var now = await WebhookDispatcher.DatabaseNowAsync(db, ct);
        if (await db.Articles.AnyAsync(a => a.Status == ContentStatus.Scheduled && a.PublishedAt <= now, ct))
        {
            if (await PublishAsync(db, ct) is not { } published)
            {
                return TimeSpan.Zero; // an editor changed one of them meanwhile: look again
            }
            if (published > 0)
            {
                await cache.CatchUpAsync(ct);
                webhooks.Wake();
                logger.LogInformation("Published {Count} scheduled articles", published);
            }
        }

        var next = await db.Articles.Where(a => a.Status == ContentStatus.Scheduled).MinAsync(a => a.PublishedAt, ct);
        return next is { } at && at - now < PollInterval ? (at - now < TimeSpan.Zero ? TimeSpan.Zero : at - now) : PollInterval;
    }

    /// <summary>
    /// Flips what is due by the database's clock, audits it and records its events, holding the writers' commit-order
    /// lock from the read to the commit: a replica that waited for the lock reads the articles already published, so
    /// each goes live once, with one event. Returns how many it published, or null when an editor's write got in first.
    /// </summary>
    private static async Task<int?> PublishAsync(ContentDb db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await ContentChanges.LockAsync(db, ct);
        var now = await WebhookDispatcher.DatabaseNowAsync(db, ct);
        // With the links loaded: each article's new version stores the whole article.
        var due = await Articles.ManagedArticle.Query(db).AsSplitQuery()
            .Where(a => a.Status == ContentStatus.Scheduled && a.PublishedAt <= now)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
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
        try
        {
            await ContentChanges.SaveAsync(db, now, ct);
        }
        catch (Exception ex) when (ex is DbUpdateConcurrencyException || Versions.ResourceVersions.WasTakenMeanwhile(ex))
        {
            return null;
        }
        await transaction.CommitAsync(ct);
        ContentMetrics.SchedulerLag.Record(due.Max(a => now - a.PublishedAt!.Value).TotalSeconds);
        return due.Count;
    }
}
