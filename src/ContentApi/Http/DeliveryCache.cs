using Microsoft.AspNetCore.OutputCaching;

namespace ContentApi.Http;

/// <summary>
/// The server-side cache of public delivery answers. Every entry carries one tag, and every committed write evicts
/// it: an author's rename shows on article pages, lists, search and related alike, so finer tags would only add
/// ways to miss one. A scheduled article going live evicts it too (<see cref="Manage.ScheduledPublishing"/>), and
/// so does a change made through another replica (<see cref="DeliveryCacheFollower"/>).
/// </summary>
public sealed class DeliveryCache(DeliveryCacheSettings settings) : IOutputCachePolicy
{
    public const string Tag = "content";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        var cacheable = settings.Enabled
                        && PreviewAccess.AppliesTo(request)
                        && !request.Headers.ContainsKey("Authorization")
                        && !request.Query.ContainsKey(PreviewAccess.Parameter);
        context.EnableOutputCaching = cacheable;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true; // one request fills an entry while the others wait for it
        context.CacheVaryByRules.QueryKeys = "*";
        context.ResponseExpirationTimeSpan = settings.Duration;
        context.Tags.Add(Tag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        // Only whole successes: not 304s (they have no body), not errors that a write may soon fix.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>Delivery:ResponseCache (on by default) and Delivery:ResponseCacheSeconds (60).</summary>
public sealed record DeliveryCacheSettings(bool Enabled, TimeSpan Duration);
