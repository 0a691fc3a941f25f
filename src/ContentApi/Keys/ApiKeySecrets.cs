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

    /// <summary>Stores a new key and returns it with its secret, which is never available again.</summary>
    public static async Task<(ApiKey Key, string Secret)> IssueAsync(ContentDb db, string name, IEnumerable<string> scopes,
        DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken ct)
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
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }
}
