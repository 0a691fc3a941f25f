using ContentApi.Content;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Http;

/// <summary>A resource's id and current slug, for following a former slug (an initializer-built class, so EF can join on it).</summary>
public sealed class SlugRow
{
    public Guid Id { get; init; }
    public string Slug { get; init; } = "";
}

/// <summary>
/// What a slug that matched nothing gets: a 301 to the same address under the current slug when it is a former
/// slug of a visible resource, otherwise a 404 problem.
/// </summary>
public static class MissingSlug
{
    public static async Task SendAsync(HttpContext http, ContentDb db, string resourceType, string slug,
        IQueryable<SlugRow> visible, CancellationToken ct)
    {
        var current = await db.FormerSlugs.AsNoTracking()
            .Where(f => f.ResourceType == resourceType && f.Slug == slug)
            .Join(visible, f => f.ResourceId, r => r.Id, (f, r) => r.Slug)
            .FirstOrDefaultAsync(ct);
        if (current is null)
        {
            await http.Response.SendResultAsync(Problems.NotFound($"No {resourceType} has the slug '{slug}'."));
            return;
        }
        var path = http.Request.Path.Value!;
        var segment = $"/{slug}";
        var at = path.IndexOf(segment + "/", StringComparison.Ordinal) is var inner and >= 0 ? inner : path.LastIndexOf(segment, StringComparison.Ordinal);
        var location = string.Concat(path.AsSpan(0, at), "/", current, path.AsSpan(at + segment.Length)) + http.Request.QueryString;
        http.Response.Headers.CacheControl = DeliveryCacheOptions.For(http);
        await http.Response.SendRedirectAsync(location, isPermanent: true, allowRemoteRedirects: false);
    }
}
