using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Versions;

/// <summary>Records a version for every audited change to an article, author, section, topic or work, in the change's save.</summary>
public static class ResourceVersions
{
    /// <summary>
    /// Adds one version per audit entry the change tracker holds for a resource that still exists, with that entry's
    /// key name, action and time. Writes without an audit entry (the seed and the bulk import) record none.
    /// </summary>
    public static void Record(ContentDb db)
    {
        var audited = db.ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (audited.Count == 0)
        {
            return;
        }
        var resources = db.ChangeTracker.Entries<IManagedEntity>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Unchanged)
            .ToDictionary(e => e.Entity.Id, e => e.Entity);
        foreach (var entry in audited)
        {
            if (resources.GetValueOrDefault(entry.ResourceId) is { } resource && resource.Version == entry.Version)
            {
                db.ResourceVersions.Add(new ResourceVersion
                {
                    ResourceId = resource.Id, Version = resource.Version, ResourceType = entry.ResourceType, At = entry.At,
                    KeyName = entry.KeyName, Action = entry.Action, Snapshot = VersionedKinds.Snapshot(resource),
                });
            }
        }
    }
}
