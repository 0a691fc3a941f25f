using ContentApi.Articles;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;

namespace ContentApi.Http;

/// <summary>
/// <c>?preview=true</c> on a delivery GET: drafts and scheduled articles become visible, for a key with the
/// content:preview scope only (401 without a key, 403 with one that lacks it).
/// </summary>
public sealed class PreviewAccess : IGlobalPreProcessor
{
    public const string Parameter = "preview";

    public static bool AppliesTo(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.Path.StartsWithSegments("/v1") && !request.Path.StartsWithSegments("/v1/manage");

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.ResponseStarted() || !AppliesTo(http.Request) || !http.Request.Query.TryGetValue(Parameter, out var value))
        {
            return;
        }
        switch (value.ToString())
        {
            case "false":
                return;
            case "true" when http.User.Identity?.IsAuthenticated != true:
                await http.ChallengeAsync(ApiKeyAuthentication.SchemeName);
                return;
            case "true" when !http.User.HasClaim(ApiScopes.ClaimType, ApiScopes.Preview):
                await http.ForbidAsync(ApiKeyAuthentication.SchemeName);
                return;
            case "true":
                http.RequestServices.GetRequiredService<ContentAudience>().Preview = true;
                return;
            default:
                await http.Response.SendResultAsync(Problems.BadRequest(new Dictionary<string, string[]>
                {
                    [Parameter] = ["'preview' must be true or false."],
                }));
                return;
        }
    }
}
