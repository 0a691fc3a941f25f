using ContentApi.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.Property(w => w.Url).HasMaxLength(2048);
        builder.Property(w => w.Description).HasMaxLength(500);
        builder.Property(w => w.Secret).HasMaxLength(100);
        builder.Property(w => w.PreviousSecret).HasMaxLength(100);
        builder.Property(w => w.DisabledReason).HasMaxLength(500);
        builder.Property(w => w.Version).IsConcurrencyToken();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.EventType).HasMaxLength(50);
        builder.Property(d => d.Status).HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(1000);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'pending'");
        builder.HasIndex(d => new { d.EndpointId, d.Id });
        builder.ToTable(t => t.HasCheckConstraint("ck_webhook_deliveries_status", "status IN ('pending', 'delivered', 'failed')"));
    }
}

internal sealed class WebhookDispatchStateConfiguration : IEntityTypeConfiguration<WebhookDispatchState>
{
    public void Configure(EntityTypeBuilder<WebhookDispatchState> builder)
    {
        builder.ToTable("webhook_dispatch_state");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(new WebhookDispatchState { Id = 1, LastSequence = 0 });
    }
}
