namespace ContentApi.Keys;

/// <summary>
/// An API key. Only a hash of the secret is stored; the prefix (the secret's first characters) lets people tell
/// keys apart in lists without revealing them.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole secret. The secret is 256 random bits, so a fast hash is enough.</summary>
    public required byte[] SecretHash { get; set; }
    public List<string> Scopes { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
