using ContentApi.Observability;
using Microsoft.AspNetCore.OutputCaching;

namespace ContentApi.Http;

/// <summary>
/// The server-side cache of public delivery answers, with tags that say what each answer shows, so that a change
/// evicts only what it made stale (<see cref="DeliveryCacheFollower"/> reads the changes and evicts). An answer about
/// one resource names it and every resource it embeds (<see cref="Describe"/>): an article page names the article,
/// its section, authors, topics and works, so that an author's rename evicts that author's articles and no others.
/// Every other answer (lists, counts, search, related, feeds, the change feed) carries <see cref="ListsTag"/>,
/// which any public change evicts. All carry <see cref="Tag"/>, which empties the cache at once.
/// </summary>
public sealed class DeliveryCache(DeliveryCacheSettings settings) : IOutputCachePolicy
{
    public const string Tag = "content";
    public const string ListsTag = "lists";

    /// <summary>The tag of one resource, as the change log names it (article, author, section, topic or work).</summary>
    public static string ResourceTag(string type, Guid id) => $"{type}:{id}";

    /// <summary>
    /// What one change makes stale: the resource's own tag, and the lists, since any public change may change what a
    /// list, a count, a feed or a search shows. The follower evicts these, and webhooks carry them to CDN purges.
    /// </summary>
    public static string[] TagsOfChange(string type, Guid id) => [ResourceTag(type, id), ListsTag];

    /// <summary>Says that this answer shows exactly these resources, instead of depending on every change.</summary>
    public static void Describe(HttpContext http, IEnumerable<string> resourceTags)
    {
        if (http.Features.Get<IOutputCacheFeature>()?.Context.Tags is { } tags)
        {
            tags.Remove(ListsTag);
            tags.UnionWith(resourceTags);
        }
    }

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
        if (cacheable)
        {
            // One entry per content coding (not per Accept-Encoding text, which browsers spell many ways): never a
            // compressed body for a client that did not ask for it.
            context.CacheVaryByRules.VaryByValues["encoding"] = ContentEncodings.Negotiate(request);
            // Before anything is read: an eviction from here on keeps this answer out of the cache.
            context.HttpContext.RequestServices.GetRequiredService<DeliveryCacheStore>().BeginRequest(context.HttpContext);
        }
        context.ResponseExpirationTimeSpan = settings.Duration;
        context.Tags.Add(Tag);
        context.Tags.Add(ListsTag);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ContentMetrics.CountCacheLookup(ContentMetrics.CacheHits, context.HttpContext);
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        if (context.AllowCacheLookup)
        {
            ContentMetrics.CountCacheLookup(ContentMetrics.CacheMisses, context.HttpContext);
        }
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
