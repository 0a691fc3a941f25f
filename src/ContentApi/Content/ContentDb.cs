using Microsoft.EntityFrameworkCore;

namespace ContentApi.Content;

public sealed class ContentDb(DbContextOptions<ContentDb> options) : DbContext(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Author> Authors => Set<Author>();
    public DbSet<Section> Sections => Set<Section>();
    public DbSet<Topic> Topics => Set<Topic>();
    public DbSet<Work> Works => Set<Work>();
    public DbSet<FormerSlug> FormerSlugs => Set<FormerSlug>();
    public DbSet<Keys.ApiKey> ApiKeys => Set<Keys.ApiKey>();
    public DbSet<Changes.ContentChange> ContentChanges => Set<Changes.ContentChange>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.WebhookDispatchState> WebhookDispatchState => Set<Webhooks.WebhookDispatchState>();
    public DbSet<Manage.AuditEntry> AuditLog => Set<Manage.AuditEntry>();
    public DbSet<Manage.IdempotentRequest> IdempotentRequests => Set<Manage.IdempotentRequest>();
    public DbSet<Manage.Versions.ResourceVersion> ResourceVersions => Set<Manage.Versions.ResourceVersion>();
    public DbSet<Seeding.SeededSlug> SeededSlugs => Set<Seeding.SeededSlug>();
    public DbSet<ListedCount> ListedCounts => Set<ListedCount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ContentDb).Assembly);
        // An update names the version it read; if another writer got there first it matches no row and fails.
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(IManagedEntity).IsAssignableFrom(e.ClrType)))
        {
            modelBuilder.Entity(entity.ClrType).Property(nameof(IManagedEntity.Version)).IsConcurrencyToken();
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored as the same lowercase strings the API speaks, guarded by check constraints.
        configurationBuilder.Properties<ContentStatus>().HaveConversion<LowercaseEnumConverter<ContentStatus>>();
        configurationBuilder.Properties<WorkKind>().HaveConversion<LowercaseEnumConverter<WorkKind>>();
    }
}
