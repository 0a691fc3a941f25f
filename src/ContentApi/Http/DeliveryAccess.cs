using ContentApi.Keys;
using Microsoft.AspNetCore.Authentication;

namespace ContentApi.Http;

/// <summary>
/// Delivery:RequireKey. The delivery API is public by default; a publisher that serves only its own frontends can
/// make every delivery call need a valid key (any scope). Checked before the response cache, which keeps no
/// answers for requests that carry a key.
/// </summary>
public sealed record DeliveryAccess(bool RequireKey);

public static class DeliveryAccessMiddleware
{
    /// <summary>
    /// 401 for a delivery call without a valid key when keys are required, and for one whose Authorization header
    /// holds a key that is not valid (unknown, revoked, expired or malformed) in any case: a caller who sent a key
    /// meant to use it, and should hear that it failed rather than get the anonymous answer.
    /// </summary>
    public static IApplicationBuilder UseDeliveryAccess(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (PreviewAccess.AppliesTo(http.Request) && http.User.Identity?.IsAuthenticated != true
            && (http.RequestServices.GetRequiredService<DeliveryAccess>().RequireKey || !string.IsNullOrEmpty(http.Request.Headers.Authorization)))
        {
            await http.ChallengeAsync(ApiKeyAuthentication.SchemeName);
            return;
        }
        await next(http);
    });
}
