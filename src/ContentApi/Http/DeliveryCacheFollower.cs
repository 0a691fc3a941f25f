using ContentApi.Observability;
using ContentApi.Database;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Http;

/// <summary>
/// Keeps this process's delivery cache true to the database, whichever replica made a change: it follows the change
/// log and evicts what each change touched (<see cref="DeliveryCache"/> says which answers carry which tags).
/// Writers send a NOTIFY in their transaction, so other replicas look as soon as a change commits, and call
/// <see cref="CatchUpAsync"/> after their own commit, so that their own next read is fresh. A poll every
/// <see cref="PollInterval"/> covers a notification lost with a dropped connection; after a database failure the
/// cache is emptied once, since changes may have gone by unseen. With a read replica, it also tells
/// <see cref="ReadReplica"/> the primary's WAL position as of the changes it saw, before evicting for them, so that
/// no evicted answer is refilled from a standby that has not replayed them.
/// </summary>
public sealed class DeliveryCacheFollower(NpgsqlDataSource dataSource, IOutputCacheStore cache, DeliveryCacheSettings settings,
    ILogger<DeliveryCacheFollower> logger, ReadReplica? replica = null) : BackgroundService
{
    public const string Channel = "content_changes";
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    /// <summary>More changes than this at once (an import) empty the cache rather than evict one by one.</summary>
    private const int MaxEvictedOneByOne = 1000;

    private readonly SemaphoreSlim _turn = new(1, 1);
    private long? _seen; // the last change evicted for; null: unknown, so the next look empties the cache

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await CatchUpAsync(stoppingToken);
                    await connection.WaitAsync(PollInterval, stoppingToken); // a notification, or time to look anyway
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                logger.LogWarning("Lost the database while following changes ({Reason}); the delivery cache starts afresh", ex.Message);
                _seen = null;
                replica?.RequireUnknown();
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Evicts the answers that changes committed since the last look have made stale. Never throws for the database.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        if (!settings.Enabled && replica is null)
        {
            return;
        }
        await _turn.WaitAsync(ct);
        try
        {
            var (changes, primaryLsn) = _seen is { } seen ? await ChangesSinceAsync(seen, ct) : (null, default);
            if (changes is null || changes.Count > MaxEvictedOneByOne)
            {
                (_seen, primaryLsn) = await LatestChangeAsync(ct);
                replica?.Require(primaryLsn);
                await EvictAllAsync(ct);
                return;
            }
            if (changes.Count == 0)
            {
                return;
            }
            replica?.Require(primaryLsn);
            foreach (var tag in changes.SelectMany(c => DeliveryCache.TagsOfChange(c.Type, c.Id)).Distinct())
            {
                await cache.EvictByTagAsync(tag, ct);
                ContentMetrics.CacheEvictions.Add(1, new KeyValuePair<string, object?>("scope", tag == DeliveryCache.ListsTag ? "lists" : "resource"));
            }
            _seen = changes[^1].Sequence;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            logger.LogWarning("Could not read the change log ({Reason}); emptying the delivery cache", ex.Message);
            _seen = null;
            replica?.RequireUnknown();
            await EvictAllAsync(ct);
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task EvictAllAsync(CancellationToken ct)
    {
        await cache.EvictByTagAsync(DeliveryCache.Tag, ct);
        ContentMetrics.CacheEvictions.Add(1, new KeyValuePair<string, object?>("scope", "all"));
    }

    // The WAL position is read in the same statement as the changes, so it is at or past every change the statement
    // sees: the insert position, since with synchronous_commit off a commit is visible before its WAL is written.
    private const string PrimaryLsn = "pg_current_wal_insert_lsn()";

    private async Task<(List<(long Sequence, string Type, Guid Id)>, NpgsqlLogSequenceNumber)> ChangesSinceAsync(long seen, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT sequence, resource_type, resource_id, {PrimaryLsn} FROM content_changes WHERE sequence > $1 ORDER BY sequence LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seen });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxEvictedOneByOne + 1 });
        var changes = new List<(long, string, Guid)>();
        var lsn = default(NpgsqlLogSequenceNumber);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            changes.Add((reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2)));
            lsn = reader.GetFieldValue<NpgsqlLogSequenceNumber>(3);
        }
        return (changes, lsn);
    }

    private async Task<(long, NpgsqlLogSequenceNumber)> LatestChangeAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT coalesce(max(sequence), 0), {PrimaryLsn} FROM content_changes");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetFieldValue<NpgsqlLogSequenceNumber>(1));
    }
}
