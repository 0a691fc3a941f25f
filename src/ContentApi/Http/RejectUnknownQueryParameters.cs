using System.Collections.Concurrent;
using System.Reflection;
using FastEndpoints;

namespace ContentApi.Http;

/// <summary>
/// A query parameter no endpoint reads is almost always a typo (<c>?limt=5</c>); answering 400 with the accepted
/// names beats silently ignoring it.
/// </summary>
public sealed class RejectUnknownQueryParameters : IGlobalPreProcessor
{
    private static readonly ConcurrentDictionary<Type, HashSet<string>> Accepted = new();

    public async Task PreProcessAsync(IPreProcessorContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.Request.Query.Count == 0 || http.ResponseStarted())
        {
            return;
        }
        // A GET's request DTO is its query; a write's is its JSON body, so a write takes no query parameters.
        var queryType = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            ? context.Request?.GetType() ?? typeof(EmptyRequest)
            : typeof(EmptyRequest);
        var accepted = Accepted.GetOrAdd(queryType, type =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanWrite && !http.GetRouteData().Values.ContainsKey(p.Name.ToLowerInvariant()))
                .Select(p => p.Name)
                .ToHashSet(StringComparer.OrdinalIgnoreCase));
        // PostgreSQL text cannot hold a NUL character, and no parameter needs one.
        var withNul = http.Request.Query.Where(q => q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)).Select(q => q.Key).ToList();
        if (withNul.Count > 0)
        {
            await http.Response.SendResultAsync(Problems.BadRequest(withNul.ToDictionary(k => k, k => new[] { $"'{k}' contains a NUL character (%00); remove it." })));
            return;
        }
        var unknown = http.Request.Query.Keys
            .Where(k => !accepted.Contains(k) && !(k == PreviewAccess.Parameter && PreviewAccess.AppliesTo(http.Request)))
            .ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        var takes = accepted.Count == 0
            ? "This endpoint takes no query parameters."
            : $"This endpoint takes: {string.Join(", ", accepted.Select(a => char.ToLowerInvariant(a[0]) + a[1..]).Order())}.";
        var errors = unknown.ToDictionary(k => k, k => new[] { $"Unknown query parameter '{k}'. {takes}" });
        await http.Response.SendResultAsync(Problems.BadRequest(errors));
    }
}
