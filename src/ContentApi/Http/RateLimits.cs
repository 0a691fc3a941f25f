using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using ContentApi.Keys;
using Microsoft.AspNetCore.RateLimiting;

namespace ContentApi.Http;

/// <summary>
/// Token buckets per API key, or per client address for anonymous callers; the excess gets 429 with Retry-After
/// and a problem body at once, rather than a queue that makes everyone slow. Configured under RateLimits.
/// </summary>
public sealed class RateLimitSettings
{
    public bool Enabled { get; init; } = true;
    /// <summary>Sustained requests a second for one client address without a key.</summary>
    public int AnonymousPerSecond { get; init; } = 50;
    /// <summary>How many requests an anonymous client may make at once after being idle.</summary>
    public int AnonymousBurst { get; init; } = 200;
    public int KeyPerSecond { get; init; } = 200;
    public int KeyBurst { get; init; } = 1000;
}

public static class RateLimits
{
    public static IServiceCollection AddContentRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("RateLimits").Get<RateLimitSettings>() ?? new RateLimitSettings();
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!settings.Enabled || http.Request.Path.StartsWithSegments("/health"))
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }
                return http.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter("key:" + keyId, _ => Bucket(settings.KeyPerSecond, settings.KeyBurst))
                    : RateLimitPartition.GetTokenBucketLimiter("ip:" + ClientAddresses.PartitionKey(http.Connection.RemoteIpAddress),
                        _ => Bucket(settings.AnonymousPerSecond, settings.AnonymousBurst));
            });
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests",
                        $"This client has made more requests than its limit allows. Retry after {retryAfter} s; an API key has a higher limit.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
