using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Changes;

/// <summary>
/// Saves content and its change events together. Events get their sequence numbers while the writer holds one
/// transaction-scoped advisory lock, so sequence order is commit order: a reader that has seen sequence N will never
/// later find a committed change below N. (Without the lock, a transaction that took N and committed after one that
/// took N+1 would be skipped by a partner whose cursor had already passed N.) Content writes are rare next to reads,
/// so queuing them at commit costs little.
/// </summary>
public static class ContentChanges
{
    public const long CommitOrderLock = 0x436f6e74656e74; // any constant shared by every writer

    /// <summary>
    /// Adds the events and the resources' new versions for what the change tracker holds, takes the lock and saves,
    /// in one transaction.
    /// </summary>
    public static async Task SaveAsync(ContentDb db, DateTimeOffset now, CancellationToken ct)
    {
        var recorded = Record(db, now);
        Manage.Versions.ResourceVersions.Record(db);
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            await LockAsync(db, ct);
            if (recorded > 0)
            {
                await NotifyAsync(db, ct); // delivered at the commit, if there is one
            }
            await db.SaveChangesAsync(ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Tells every replica's <see cref="Http.DeliveryCacheFollower"/> to look at the change log; PostgreSQL delivers it
    /// when the transaction commits, and not at all if it rolls back.
    /// </summary>
    public static Task NotifyAsync(ContentDb db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_notify('{Http.DeliveryCacheFollower.Channel}', '')", ct);

    /// <summary>Takes the commit-order lock until the current transaction ends; for writers that bypass the change tracker.</summary>
    public static Task LockAsync(ContentDb db, CancellationToken ct) =>
        db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({CommitOrderLock})", ct);

    /// <summary>
    /// One event per public resource added, changed or deleted. Authors, sections, topics and works are public as
    /// soon as they exist; an article only while it is live, so its events say when it became or stopped being so.
    /// </summary>
    public static int Record(ContentDb db, DateTimeOffset now)
    {
        var recorded = 0;
        db.ChangeTracker.DetectChanges();
        var entries = db.ChangeTracker.Entries<IManagedEntity>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        foreach (var entry in entries)
        {
            var entity = entry.Entity;
            var type = TypeName(entity);
            string? action = entity is Article article
                ? ArticleAction(entry.State != EntityState.Added && WasLive(entry, now), IsLive(article, now), article.Status)
                : entry.State switch
                {
                    EntityState.Added => "created",
                    EntityState.Deleted => "deleted",
                    _ => "updated",
                };
            if (action is not null)
            {
                db.Add(new ContentChange
                {
                    At = now, ResourceType = type, Action = action, ResourceId = entity.Id, Slug = entity.Slug, Version = entity.Version,
                });
                recorded++;
            }
        }
        return recorded;
    }

    public static string TypeName(IManagedEntity entity) => entity switch
    {
        Article => "article",
        Author => "author",
        Section => "section",
        Topic => "topic",
        _ => "work",
    };

    private static string? ArticleAction(bool was, bool isNow, ContentStatus status) => (was, isNow) switch
    {
        (false, true) => "published",
        (true, true) => "updated",
        (true, false) => status == ContentStatus.Archived ? "deleted" : "unpublished",
        _ => null, // a draft's edits are nobody's business but the editors'
    };

    // For events an article is live once published: a scheduled one gets its "published" event when the scheduler
    // flips it at its time (a moment after the delivery API starts showing it).
    private static bool IsLive(Article article, DateTimeOffset now) =>
        article.Status == ContentStatus.Published && article.PublishedAt <= now;

    private static bool WasLive(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<IManagedEntity> entry, DateTimeOffset now) =>
        entry.Property(nameof(Article.Status)).OriginalValue is ContentStatus.Published
        && entry.Property(nameof(Article.PublishedAt)).OriginalValue is DateTimeOffset published && published <= now;
}
