using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>Ids in a body that must name existing resources, and the link rows that hold them.</summary>
public static class References
{
    /// <summary>
    /// The ids, in order and without repeats, after one query; each one that names nothing is reported under its
    /// position ("topicIds[2]").
    /// </summary>
    public static async Task<List<Guid>> CheckAsync<TEntity>(IQueryable<TEntity> table, IReadOnlyList<Guid>? ids, string field,
        string type, Dictionary<string, string[]> errors, CancellationToken ct)
        where TEntity : class, IManagedEntity
    {
        var wanted = (ids ?? []).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return wanted;
        }
        var found = await table.Where(e => wanted.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        for (var i = 0; i < ids!.Count; i++)
        {
            if (!found.Contains(ids[i]))
            {
                errors[$"{field}[{i}]"] = [$"No {type} has the id {ids[i]}."];
            }
        }
        return wanted;
    }

    /// <summary>Makes the link rows match the ids, keeping the rows that stay (and their order as given).</summary>
    public static void Sync<TLink>(List<TLink> links, List<Guid> ids, Func<TLink, Guid> idOf, Func<Guid, TLink> create)
    {
        links.RemoveAll(l => !ids.Contains(idOf(l)));
        foreach (var id in ids.Where(id => !links.Any(l => idOf(l) == id)))
        {
            links.Add(create(id));
        }
    }
}
