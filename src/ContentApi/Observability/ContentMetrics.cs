using System.Diagnostics.Metrics;

namespace ContentApi.Observability;

/// <summary>
/// The API's own instruments, counted where the decisions are made. With no listener (metrics off, the default) an
/// instrument is a disabled flag, so recording costs nothing worth measuring.
/// </summary>
public static class ContentMetrics
{
    public const string MeterName = "ContentApi";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("contentapi.delivery_cache.hits", "{answer}",
        "Delivery answers served from the output cache, by route.");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>("contentapi.delivery_cache.misses", "{answer}",
        "Cacheable delivery answers the endpoint had to make, by route.");

    public static readonly Counter<long> CacheEvictions = Meter.CreateCounter<long>("contentapi.delivery_cache.evictions", "{tag}",
        "Tags evicted from the output cache after changes: scope 'resource' (one article, author...), 'lists', or 'all' (the whole cache).");

    public static readonly Gauge<double> SchedulerLag = Meter.CreateGauge<double>("contentapi.scheduler.lag", "s",
        "How long after its publishAt the last scheduled article went live (the latest of its batch).");

    /// <summary>Counts a hit or a miss under the request's route template (never its path: one series per route).</summary>
    public static void CountCacheLookup(Counter<long> counter, HttpContext context)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>("http.route",
                (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown"));
        }
    }
}
