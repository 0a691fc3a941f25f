using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using Npgsql;

namespace ContentApi.Bench;

/// <summary>
/// Two yardsticks for <c>bench/run.sh</c>, beside GET /v1/articles/{slug}, mapped only with
/// <c>Bench:ReferenceEndpoints=true</c> and never in the OpenAPI document:
/// <list type="bullet">
/// <item><c>GET /bench/raw/articles/{slug}</c>: the same JSON from one hand-written Npgsql query (no EF Core, no
/// FastEndpoints), sent the same way, ETag included: what the data access could cost at best.</item>
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

        bench.MapGet("/raw/articles/{slug}", async (string slug, HttpContext http, NpgsqlDataSource db, TimeProvider clock,
            SiteOptions site, CancellationToken ct) =>
        {
            if (await ReadArticleAsync(db, slug, clock.GetUtcNow(), site, ct) is not { } article)
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
                if (await ReadArticleAsync(services.GetRequiredService<NpgsqlDataSource>(), slug,
                        services.GetRequiredService<TimeProvider>().GetUtcNow(), services.GetRequiredService<SiteOptions>(), ct)
                    is not { } article)
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                var body = JsonSerializer.SerializeToUtf8Bytes(article, ApiJson.Options);
                // The same ETag as ConditionalJson gives these bytes, so that the headers match too.
                entry = kept.GetOrAdd(slug, new Kept(body, $"\"{Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 16))}\"",
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

    // The article with its section, and its authors, topics and works as arrays in the order the page shows them.
    private const string ArticleSql = """
        SELECT a.id, a.slug, a.title, a.dek, a.excerpt, s.slug, s.name,
               a.image_url, a.image_alt, a.image_credit,
               coalesce(a.published_at, a.updated_at), a.updated_at, a.canonical_url,
               a.original_publication_outlet, a.original_publication_url,
               a.original_publication_published_on, a.original_publication_title,
               a.body_html, a.body_blocks, a.body_text, a.word_count, a.reading_minutes,
               au.slugs, au.names, au.avatars,
               t.slugs, t.names,
               w.slugs, w.kinds, w.titles, w.short_labels, w.subtitles, w.creators, w.covers, w.urls
        FROM articles a
        JOIN sections s ON s.id = a.section_id
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.name ORDER BY l.position) AS names,
                   array_agg(x.avatar_url ORDER BY l.position) AS avatars
            FROM article_authors l JOIN authors x ON x.id = l.author_id WHERE l.article_id = a.id) au
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY x.name) AS slugs, array_agg(x.name ORDER BY x.name) AS names
            FROM article_topics l JOIN topics x ON x.id = l.topic_id WHERE l.article_id = a.id) t
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.kind ORDER BY l.position) AS kinds,
                   array_agg(x.title ORDER BY l.position) AS titles, array_agg(x.short_label ORDER BY l.position) AS short_labels,
                   array_agg(x.subtitle ORDER BY l.position) AS subtitles, array_agg(x.creators ORDER BY l.position) AS creators,
                   array_agg(x.cover_url ORDER BY l.position) AS covers, array_agg(x.url ORDER BY l.position) AS urls
            FROM article_works l JOIN works x ON x.id = l.work_id WHERE l.article_id = a.id) w
        WHERE a.slug = $1 AND a.status IN ('published', 'scheduled') AND a.published_at <= $2
        """;

    private static async Task<ArticleResponse?> ReadArticleAsync(NpgsqlDataSource db, string slug, DateTimeOffset now,
        SiteOptions site, CancellationToken ct)
    {
        await using var command = db.CreateCommand(ArticleSql);
        command.Parameters.Add(new NpgsqlParameter { Value = slug });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string?[] Texts(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string?[]>(i);

        var (authorSlugs, authorNames, avatars) = (Texts(22), Texts(23), Texts(24));
        var (topicSlugs, topicNames) = (Texts(25), Texts(26));
        var (workSlugs, kinds, titles, labels, subtitles, creators, covers, urls) =
            (Texts(27), Texts(28), Texts(29), Texts(30), Texts(31), Texts(32), Texts(33), Texts(34));
        var articleSlug = r.GetString(1);
        var blocks = JsonSerializer.Deserialize<List<BodyBlock>>(r.GetString(18), ArticleBody.BlockJson) ?? [];
        return new ArticleResponse(
            r.GetGuid(0), articleSlug, r.GetString(2), Text(3), Text(4),
            new SectionSummary(r.GetString(5), r.GetString(6)),
            authorSlugs.Select((s, i) => new AuthorSummary(s!, authorNames[i]!, avatars[i])).ToList(),
            topicSlugs.Select((s, i) => new TopicSummary(s!, topicNames[i]!)).ToList(),
            Text(7) is { } imageUrl ? new ImageResponse(imageUrl, Text(8), Text(9)) : null,
            r.GetFieldValue<DateTimeOffset>(10), r.GetFieldValue<DateTimeOffset>(11),
            Text(12) ?? site.ArticleUrl(articleSlug),
            Text(13) is { } outlet
                ? new OriginalPublicationResponse(outlet, Text(14), r.IsDBNull(15) ? null : r.GetFieldValue<DateOnly>(15), Text(16))
                : null,
            new ArticleBodyResponse(r.GetString(17), blocks, r.GetString(19)),
            blocks.OfType<FigureBodyBlock>().Select(f => new FigureResponse(f.Key, f.Url, f.Alt, f.Caption, f.Credit)).ToList(),
            workSlugs.Select((s, i) => new WorkSummary(s!, Enum.Parse<WorkKind>(kinds[i]!, ignoreCase: true), titles[i]!,
                labels[i], subtitles[i], creators[i], covers[i], urls[i])).ToList(),
            r.GetInt32(20), r.GetInt32(21));
    }
}
