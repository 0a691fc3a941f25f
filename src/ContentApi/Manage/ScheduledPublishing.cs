using ContentApi.Changes;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Observability;
using ContentApi.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>
/// Makes scheduled articles published when their time comes, and unpublishes those whose unpublishAt (an embargo's
/// end) has come, with no request or restart needed: it sleeps until the next publishAt or unpublishAt (or at most
/// <see cref="PollInterval"/>, to see schedules other instances made), flips what is due, records it in the audit log
/// and evicts what it made stale from the delivery cache. "Due" is by the database's clock, the one every replica
/// shares, and any number of replicas may run it: each article goes live once and leaves once.
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

    /// <summary>Publishes and unpublishes what is due and returns how long to sleep.</summary>
    private async Task<TimeSpan> PublishDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        var now = await WebhookDispatcher.DatabaseNowAsync(db, ct);
        // Two looks, not one with OR: each uses its own small partial index whatever the statistics say, where the OR
        // read all 100k articles (80 ms) until the new column had been analyzed.
        if (await db.Articles.AnyAsync(a => a.Status == ContentStatus.Scheduled && a.PublishedAt <= now, ct)
            || await db.Articles.AnyAsync(a => a.UnpublishAt <= now && (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled), ct))
        {
            if (await FlipDueAsync(db, ct) is not { } flipped)
            {
                return TimeSpan.Zero; // an editor changed one of them meanwhile: look again
            }
            if (flipped.Published + flipped.Unpublished > 0)
            {
                await cache.CatchUpAsync(ct);
                if (flipped.Lag is { } lag)
                {
                    // Recorded once readers see the change, not merely once it is committed.
                    ContentMetrics.SchedulerLag.Record(lag.TotalSeconds);
                }
                webhooks.Wake();
                logger.LogInformation("Published {Published} scheduled articles and unpublished {Unpublished} whose unpublishAt came",
                    flipped.Published, flipped.Unpublished);
            }
        }

        var nextPublish = await db.Articles.Where(a => a.Status == ContentStatus.Scheduled).MinAsync(a => a.PublishedAt, ct);
        var nextUnpublish = await db.Articles
            .Where(a => a.UnpublishAt != null && (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled))
            .MinAsync(a => a.UnpublishAt, ct);
        var next = nextPublish is null || nextUnpublish < nextPublish ? nextUnpublish : nextPublish;
        return next is { } at && at - now < PollInterval ? (at - now < TimeSpan.Zero ? TimeSpan.Zero : at - now) : PollInterval;
    }

    /// <summary>
    /// Flips what is due by the database's clock, audits it and records its events, holding the writers' commit-order
    /// lock from the read to the commit: a replica that waited for the lock reads the articles already flipped, so
    /// each goes live once and leaves once, with one event each. An article leaves as the unpublish endpoint makes it
    /// leave (a draft again, its "unpublished" event, webhook and eviction following from that), but keeps its
    /// publishedAt and unpublishAt: the record that it was public and withdrawn, which its address answers 410 for.
    /// Returns how many it flipped each way and how late the latest publication came, or null when an editor's write
    /// got in first.
    /// </summary>
    private static async Task<(int Published, int Unpublished, TimeSpan? Lag)?> FlipDueAsync(ContentDb db, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await ContentChanges.LockAsync(db, ct);
        var now = await WebhookDispatcher.DatabaseNowAsync(db, ct);
        // One due both ways (every replica was down for the whole publication) is only unpublished. With the links
        // loaded: each article's new version stores the whole article.
        var publish = await Articles.ManagedArticle.Query(db).AsSplitQuery()
            .Where(a => a.Status == ContentStatus.Scheduled && a.PublishedAt <= now && (a.UnpublishAt == null || a.UnpublishAt > now))
            .ToListAsync(ct);
        var unpublish = await Articles.ManagedArticle.Query(db).AsSplitQuery()
            .Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.UnpublishAt <= now)
            .ToListAsync(ct);
        if (publish.Count + unpublish.Count == 0)
        {
            return (0, 0, null);
        }
        foreach (var article in publish)
        {
            Flip(db, article, ContentStatus.Published, "publish", now);
        }
        foreach (var article in unpublish)
        {
            Flip(db, article, ContentStatus.Draft, "unpublish", now);
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
        return (publish.Count, unpublish.Count, publish.Count > 0 ? publish.Max(a => now - a.PublishedAt!.Value) : null);
    }

    private static void Flip(ContentDb db, Article article, ContentStatus status, string action, DateTimeOffset now)
    {
        article.Status = status;
        article.UpdatedAt = now;
        article.Version++;
        db.AuditLog.Add(new AuditEntry
        {
            At = now, KeyName = "scheduler", Action = action, ResourceType = "article",
            ResourceId = article.Id, Slug = article.Slug, Version = article.Version,
        });
    }
}
