using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;

namespace ContentApi.Bench;

/// <summary>
/// Two yardsticks for <c>bench/run.sh</c>, beside GET /v1/articles/{slug}, mapped only with
/// <c>Bench:ReferenceEndpoints=true</c> and never in the OpenAPI document:
/// <list type="bullet">
/// <item><c>GET /bench/raw/articles/{slug}</c>: the same JSON from the same one Npgsql query as the endpoint
/// (<see cref="ArticleReader"/>), with no endpoint pipeline (routing to FastEndpoints, validation, cache tags), sent the
/// same way, ETag included: what reading an article could cost at best.</item>
/// <item><c>GET /bench/ceiling/articles/{slug}</c>: those bytes kept in memory after the first request and written
/// out with their headers: what the HTTP stack alone costs.</item>
/// </list>
/// </summary>
public static class BenchReferences
{
    public const string Setting = "Bench:ReferenceEndpoints";

    private sealed record Kept(byte[] Body, string ETag, string LastModified);

    public static void MapBenchReferences(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting))
        {
            return;
        }
        var cacheControl = app.Services.GetRequiredService<DeliveryCacheOptions>().CacheControl;
        var kept = new ConcurrentDictionary<string, Kept>(StringComparer.Ordinal);
        var bench = app.MapGroup("/bench").ExcludeFromDescription();

        bench.MapGet("/raw/articles/{slug}", async (string slug, HttpContext http, DeliveryQueries db, TimeProvider clock,
            SiteOptions site, CancellationToken ct) =>
        {
            if (await ArticleReader.ReadAsync(db, slug, clock.GetUtcNow(), preview: false, site, ct) is not { Article: var article })
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await http.SendJsonAsync(article, article.UpdatedAt, ct);
        });

        // Services are looked up only on a miss, so that a hit does nothing but write.
        bench.MapGet("/ceiling/articles/{slug}", async (string slug, HttpContext http, CancellationToken ct) =>
        {
            if (!kept.TryGetValue(slug, out var entry))
            {
                var services = http.RequestServices;
                if (await ArticleReader.ReadAsync(services.GetRequiredService<DeliveryQueries>(), slug,
                        services.GetRequiredService<TimeProvider>().GetUtcNow(), preview: false, services.GetRequiredService<SiteOptions>(), ct)
                    is not { Article: var article })
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                var body = JsonSerializer.SerializeToUtf8Bytes(article, ApiJson.Options);
                // The same ETag as ConditionalJson gives these bytes, so that the headers match too.
                entry = kept.GetOrAdd(slug, new Kept(body, ConditionalJson.StrongETag(body),
                    article.UpdatedAt.ToString("R", CultureInfo.InvariantCulture)));
            }
            var response = http.Response;
            response.Headers.ETag = entry.ETag;
            response.Headers.CacheControl = cacheControl;
            response.Headers.LastModified = entry.LastModified;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = entry.Body.Length;
            await response.Body.WriteAsync(entry.Body, ct);
        });
    }
}
