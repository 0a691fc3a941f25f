using System.Security.Claims;
using System.Text.Encodings.Web;
using ContentApi.Content;
using ContentApi.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ContentApi.Keys;

/// <summary>
/// Reads <c>Authorization: Bearer &lt;api key&gt;</c>, finds the key by the hash of its secret, and answers 401 (with
/// WWW-Authenticate) or 403 as problem documents. The secret itself is never logged or echoed.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, ContentDb db, TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "key_id";
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }
        var hash = ApiKeySecrets.Hash(header["Bearer ".Length..].Trim());
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.SecretHash == hash)
            .Select(k => new { k.Id, k.Name, k.Scopes, k.ExpiresAt, k.RevokedAt, k.LastUsedAt })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not known.");
        }
        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("The API key has been revoked.");
        }
        if (key.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The API key has expired.");
        }
        // Last use to the minute: one write a minute per busy key, not one per request.
        if (key.LastUsedAt is null || key.LastUsedAt < now - LastUsedPrecision)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
        }

        var claims = new List<Claim> { new(KeyIdClaim, key.Id.ToString()), new(ClaimTypes.Name, key.Name) };
        claims.AddRange(ApiScopes.Effective(key.Scopes).Select(s => new Claim(ApiScopes.ClaimType, s)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"ContentApi\""
            : $"Bearer realm=\"ContentApi\", error=\"invalid_token\", error_description=\"{failure}\"";
        await Problems.Status(StatusCodes.Status401Unauthorized, "Unauthorized",
                failure ?? "This call needs an API key: send 'Authorization: Bearer <api key>'.")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).OfType<string>().Distinct().ToList() ?? [];
        var granted = Context.User.FindAll(ApiScopes.ClaimType).Select(c => c.Value).ToList();
        var detail = needed.Count == 0
            ? "This API key may not make this call."
            : $"This call needs a key with the scope '{string.Join("' or '", needed)}'; this key has {(granted.Count == 0 ? "no scopes" : string.Join(", ", granted.Select(g => $"'{g}'")))}.";
        await Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", detail).ExecuteAsync(Context);
    }
}
