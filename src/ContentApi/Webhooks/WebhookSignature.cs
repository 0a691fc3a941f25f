using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContentApi.Webhooks;

/// <summary>Signing as the Standard Webhooks specification says: HMAC-SHA256 over "id.timestamp.body".</summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The webhook-id, webhook-timestamp and webhook-signature headers for one attempt: one "v1,..." signature per
    /// secret, space-separated, which Standard Webhooks receivers accept when any one of them verifies.
    /// </summary>
    public static IEnumerable<(string Name, string Value)> Headers(IEnumerable<string> secrets, string messageId, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}");
        var signatures = secrets.Select(secret =>
            "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret[SecretPrefix.Length..]), signed)));
        yield return ("webhook-id", messageId);
        yield return ("webhook-timestamp", timestamp);
        yield return ("webhook-signature", string.Join(' ', signatures));
    }

    /// <summary>
    /// The secrets that sign now: the current one, and the one a rotation replaced while its grace period lasts. The
    /// old one comes first, because some receiver libraries check only the first signature, and during the grace
    /// period most receivers still hold the old secret.
    /// </summary>
    public static IEnumerable<string> SigningSecrets(WebhookEndpoint endpoint, DateTimeOffset now) =>
        endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresAt > now ? [previous, endpoint.Secret] : [endpoint.Secret];
}
