using ContentApi.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

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
