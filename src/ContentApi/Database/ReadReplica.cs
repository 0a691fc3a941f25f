using ContentApi.Http;
using Microsoft.AspNetCore.OutputCaching;
using Npgsql;
using NpgsqlTypes;

namespace ContentApi.Database;

/// <summary>
/// ConnectionStrings:ContentReadReplica, a PostgreSQL streaming standby for anonymous delivery reads; everything else
/// (writes, management, keyed reads, the change feed, background jobs, the cache follower) stays on the primary.
/// A read goes to the standby only when the standby has replayed the primary's WAL up to the point where this
/// process last saw a change (<see cref="Require"/>, set by <see cref="DeliveryCacheFollower"/> before it evicts),
/// so an evicted answer is never refilled with what the change replaced; otherwise, and whenever the standby fails,
/// the primary answers. The standby's replay position is polled every <see cref="PollInterval"/>, off the request path.
/// </summary>
public sealed class ReadReplica(NpgsqlDataSource standby, ILogger<ReadReplica> logger) : BackgroundService
{
    public const string ConnectionName = "ContentReadReplica";
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private const ulong Unknown = ulong.MaxValue;

    private ulong _required = Unknown; // nothing is known until the follower's first look: the primary answers
    private ulong _replayed; // 0: the standby is down or not yet polled
    private bool _warnedNotStandby;

    public NpgsqlDataSource DataSource => standby;

    /// <summary>The primary's WAL position after the changes just seen; from now on the standby must have replayed it.</summary>
    public void Require(NpgsqlLogSequenceNumber primaryLsn) => Volatile.Write(ref _required, (ulong)primaryLsn);

    /// <summary>The follower lost the primary: changes may have gone by unseen, so no standby is known to be fresh.</summary>
    public void RequireUnknown() => Volatile.Write(ref _required, Unknown);

    /// <summary>Whether an anonymous delivery read may go to the standby now: it is up and has replayed what is required.</summary>
    private bool IsFresh(out ulong replayed)
    {
        replayed = Volatile.Read(ref _replayed);
        return replayed != 0 && replayed >= Volatile.Read(ref _required);
    }

    /// <summary>The requests that may read from the standby: anonymous delivery reads, not the change feed.</summary>
    public static bool MayUseStandby(HttpRequest request) =>
        PreviewAccess.AppliesTo(request)
        && !request.Headers.ContainsKey("Authorization")
        && !request.Query.ContainsKey(PreviewAccess.Parameter)
        && !request.Path.StartsWithSegments("/v1/changes");

    /// <summary>The data source for this request's delivery queries.</summary>
    public NpgsqlDataSource? StandbyFor(HttpContext? http) => http?.Features.Get<StandbyRead>() is not null ? standby : null;

    /// <summary>The mark of a request that reads from the standby (a request feature).</summary>
    public sealed class StandbyRead
    {
        public static readonly StandbyRead Mark = new();
    }

    /// <summary>
    /// Routes each eligible request: to the standby when it is fresh, and again to the primary (in a fresh scope, so
    /// with a fresh DbContext) when the standby fails before the answer has started. The answer is kept out of the
    /// delivery cache when a change was seen while it was read that the standby had not replayed.
    /// </summary>
    public async Task RouteAsync(HttpContext http, RequestDelegate next)
    {
        if (!MayUseStandby(http.Request) || !IsFresh(out var replayed))
        {
            await next(http);
            return;
        }
        http.Features.Set(StandbyRead.Mark);
        try
        {
            await next(http);
            if (Volatile.Read(ref _required) > replayed && http.Features.Get<IOutputCacheFeature>() is { } cache)
            {
                cache.Context.AllowCacheStorage = false;
            }
        }
        catch (Exception ex) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested && IsStandbyFailure(ex))
        {
            Volatile.Write(ref _replayed, 0); // until the next poll finds it up again
            logger.LogWarning("The read replica failed ({Reason}); answering from the primary", ex.Message);
            http.Features.Set<StandbyRead?>(null);
            var requestServices = http.RequestServices;
            await using var scope = requestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            http.RequestServices = scope.ServiceProvider;
            try
            {
                await next(http);
            }
            finally
            {
                http.RequestServices = requestServices;
            }
        }
    }

    // Anything the standby does wrong, save a statement that ran out of time (the primary would take as long).
    private static bool IsStandbyFailure(Exception ex) => ex switch
    {
        PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } => false,
        NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        _ => ex.InnerException is { } inner && IsStandbyFailure(inner),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wasUp = true;
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            try
            {
                Volatile.Write(ref _replayed, await ReplayedAsync(stoppingToken));
                if (!wasUp)
                {
                    logger.LogInformation("The read replica is back");
                }
                wasUp = true;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException or System.Net.Sockets.SocketException)
            {
                Volatile.Write(ref _replayed, 0);
                if (wasUp)
                {
                    logger.LogWarning("The read replica is unreachable ({Reason}); delivery reads go to the primary", ex.Message);
                }
                wasUp = false;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>How far the standby has replayed the primary's WAL.</summary>
    private async Task<ulong> ReplayedAsync(CancellationToken ct)
    {
        // Outside recovery pg_last_wal_replay_lsn() is NULL, or frozen where a past crash recovery ended.
        await using var command = standby.CreateCommand("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() END");
        if (await command.ExecuteScalarAsync(ct) is NpgsqlLogSequenceNumber lsn)
        {
            return (ulong)lsn;
        }
        // Not in recovery: a server that follows no primary (a copy, or a standby since promoted). It has no replay
        // position to compare, so it is taken as it is; the operator chose it.
        if (!_warnedNotStandby)
        {
            logger.LogWarning("ConnectionStrings:{Name} is not a standby (not in recovery): delivery reads go to it with no lag check", ConnectionName);
            _warnedNotStandby = true;
        }
        return Unknown;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        standby.Dispose();
        base.Dispose();
    }
}
