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
    public static IApplicationBuilder UseDeliveryAccess(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.RequestServices.GetRequiredService<DeliveryAccess>().RequireKey && PreviewAccess.AppliesTo(http.Request)
            && http.User.Identity?.IsAuthenticated != true)
        {
            await http.ChallengeAsync(ApiKeyAuthentication.SchemeName);
            return;
        }
        await next(http);
    });
}
