using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(20);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_api_keys_scopes",
            $"cardinality(scopes) > 0 AND scopes <@ ARRAY[{string.Join(", ", ApiScopes.All.Select(s => $"'{s}'"))}]::text[]"));
    }
}
