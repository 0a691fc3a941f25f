using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContentApi.Webhooks;

/// <summary>Signing as the Standard Webhooks specification says: HMAC-SHA256 over "id.timestamp.body".</summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The webhook-id, webhook-timestamp and webhook-signature headers for one attempt.</summary>
    public static IEnumerable<(string Name, string Value)> Headers(string secret, string messageId, DateTimeOffset now, string body)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}")));
        yield return ("webhook-id", messageId);
        yield return ("webhook-timestamp", timestamp);
        yield return ("webhook-signature", $"v1,{signature}");
    }
}
