using System.Threading.RateLimiting;

namespace ContentApi.Http;

/// <summary>Limits: section of the configuration, for what the whole process takes on at once.</summary>
public sealed class LoadSheddingSettings
{
    /// <summary>Requests served at once; below the database pool size, so a request never waits there for long.</summary>
    public int MaxConcurrentRequests { get; init; } = 64;
    /// <summary>Requests that may wait for a turn; beyond them, the answer is an immediate 503.</summary>
    public int QueueLength { get; init; } = 512;
    /// <summary>How long a request waits for its turn before it is answered 503.</summary>
    public int QueueTimeoutMilliseconds { get; init; } = 2000;
}

/// <summary>
/// When more requests arrive than the machine can serve, the excess is answered at once with 503, Retry-After and a
/// problem body, so that the requests that are let in finish quickly instead of every client timing out. Health probes
/// pass straight through.
/// </summary>
public static class LoadShedding
{
    public static IApplicationBuilder UseLoadShedding(this IApplicationBuilder app, LoadSheddingSettings settings)
    {
        var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.MaxConcurrentRequests,
            QueueLimit = settings.QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        return app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/health"))
            {
                await next(http);
                return;
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            wait.CancelAfter(settings.QueueTimeoutMilliseconds);
            RateLimitLease lease;
            try
            {
                lease = await limiter.AcquireAsync(1, wait.Token);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                lease = new RejectedLease();
            }
            using (lease)
            {
                if (!lease.IsAcquired)
                {
                    http.Response.Headers.RetryAfter = "1";
                    await Problems.Status(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                        "The server is serving as many requests as it can. Retry after 1 s.").ExecuteAsync(http);
                    return;
                }
                await next(http);
            }
        });
    }

    private sealed class RejectedLease : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
