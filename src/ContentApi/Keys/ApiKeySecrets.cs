using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ContentApi.Content;

namespace ContentApi.Keys;

/// <summary>Making keys: the secret is shown once, and only its hash is kept.</summary>
public static class ApiKeySecrets
{
    /// <summary>Recognisable in logs, config files and secret scanners.</summary>
    public const string SecretPrefix = "cak_";
    private const int PrefixLength = 12;

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// Adds a new key to the context (the caller saves it, with its audit entry, in one transaction) and returns it
    /// with its secret, which is never available again.
    /// </summary>
    public static (ApiKey Key, string Secret) Issue(ContentDb db, string name, IEnumerable<string> scopes, DateTimeOffset? expiresAt,
        DateTimeOffset now)
    {
        var secret = SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            Name = name,
            Prefix = secret[..PrefixLength],
            SecretHash = Hash(secret),
            Scopes = scopes.Distinct().ToList(),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(key);
        return (key, secret);
    }
}
