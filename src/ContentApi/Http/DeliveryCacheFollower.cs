using ContentApi.Observability;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace ContentApi.Http;

/// <summary>
/// Keeps this process's delivery cache true to the database, whichever replica made a change: it follows the change
/// log and evicts what each change touched (<see cref="DeliveryCache"/> says which answers carry which tags).
/// Writers send a NOTIFY in their transaction, so other replicas look as soon as a change commits, and call
/// <see cref="CatchUpAsync"/> after their own commit, so that their own next read is fresh. A poll every
/// <see cref="PollInterval"/> covers a notification lost with a dropped connection; after a database failure the
/// cache is emptied once, since changes may have gone by unseen.
/// </summary>
public sealed class DeliveryCacheFollower(NpgsqlDataSource dataSource, IOutputCacheStore cache, DeliveryCacheSettings settings,
    ILogger<DeliveryCacheFollower> logger) : BackgroundService
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
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    /// <summary>Evicts the answers that changes committed since the last look have made stale. Never throws for the database.</summary>
    public async Task CatchUpAsync(CancellationToken ct)
    {
        if (!settings.Enabled)
        {
            return;
        }
        await _turn.WaitAsync(ct);
        try
        {
            var changes = _seen is { } seen ? await ChangesSinceAsync(seen, ct) : null;
            if (changes is null || changes.Count > MaxEvictedOneByOne)
            {
                _seen = await LatestChangeAsync(ct);
                await EvictAllAsync(ct);
                return;
            }
            if (changes.Count == 0)
            {
                return;
            }
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

    private async Task<List<(long Sequence, string Type, Guid Id)>> ChangesSinceAsync(long seen, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT sequence, resource_type, resource_id FROM content_changes WHERE sequence > $1 ORDER BY sequence LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seen });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = MaxEvictedOneByOne + 1 });
        var changes = new List<(long, string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            changes.Add((reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2)));
        }
        return changes;
    }

    private async Task<long> LatestChangeAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("SELECT coalesce(max(sequence), 0) FROM content_changes");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
