using ContentApi.Changes;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;

namespace ContentApi.Http;

/// <summary>
/// Keeps this process's delivery cache true to the database when several replicas serve it: it follows the change
/// log, whichever replica wrote the change, and evicts for every change it sees. Writers send a NOTIFY in their
/// transaction, so a change is seen as soon as it commits; a poll every <see cref="PollInterval"/> covers one lost
/// with a dropped connection. After a connection failure it may have missed changes, so it empties the cache once.
/// </summary>
public sealed class DeliveryCacheFollower(NpgsqlDataSource dataSource, IOutputCacheStore cache, ILogger<DeliveryCacheFollower> logger)
    : BackgroundService
{
    public const string Channel = "content_changes";
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        long? seen = null;
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
                    var latest = await LatestChangeAsync(connection, stoppingToken);
                    if (seen is not null && latest != seen)
                    {
                        await cache.EvictByTagAsync(DeliveryCache.Tag, stoppingToken);
                    }
                    seen = latest;
                    await connection.WaitAsync(PollInterval, stoppingToken); // a notification, or time to look anyway
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                logger.LogWarning("Lost the database while following changes ({Reason}); the delivery cache starts afresh", ex.Message);
                seen = -1; // whatever the log holds when the connection comes back differs: the cache is emptied then
                await Task.Delay(PollInterval, stoppingToken);
            }
        }
    }

    private static async Task<long> LatestChangeAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(sequence), 0) FROM content_changes", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
