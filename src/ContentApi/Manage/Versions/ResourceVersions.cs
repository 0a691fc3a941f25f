using System.Globalization;
using ContentApi.Content;
using ContentApi.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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

    /// <summary>The stored version the route names, or the 400 (not an id, not a version number) or 404 that answers instead.</summary>
    public static async Task<(ResourceVersion? Version, IResult? Problem)> FindAsync(ContentDb db, string kind, string? idValue,
        string? versionValue, string versionField, CancellationToken ct)
    {
        var (id, badId) = ResourceWrites.ParseId(idValue);
        if (badId is not null)
        {
            return (null, badId);
        }
        var (number, badNumber) = ParseNumber(versionValue, versionField);
        if (badNumber is not null)
        {
            return (null, badNumber);
        }
        var type = VersionedKinds.TypeOf(kind);
        var stored = await db.ResourceVersions.AsNoTracking()
            .FirstOrDefaultAsync(v => v.ResourceId == id && v.ResourceType == type && v.Version == number, ct);
        return stored is not null ? (stored, null) : (null, Problems.NotFound(
            $"The {type} {id} has no stored version {number}: it never had one, or retention has pruned it. " +
            $"GET /v1/manage/{kind}/{id}/versions lists the versions kept."));
    }

    /// <summary>A version number from the route: a whole number from 1 up.</summary>
    public static (int Number, IResult? Problem) ParseNumber(string? value, string field) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
            ? (number, null)
            : (0, JsonBody.Invalid(field, $"'{value}' is not a version number; versions are whole numbers from 1, the ETag without its quotes."));

    /// <summary>
    /// Whether a save failed because another write stored the same version of the resource first. The versions'
    /// insert may run before the resource's own update, so this, not the concurrency token, can be what says so.
    /// </summary>
    public static bool WasTakenMeanwhile(Exception ex) =>
        ex is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_resource_versions" } };
}
