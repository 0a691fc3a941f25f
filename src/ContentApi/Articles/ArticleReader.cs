using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Database;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>An article as its page shows it, with the ids of what it shows (for the cache tags).</summary>
public sealed record ArticleRead(ArticleResponse Article, Guid SectionId, Guid[] AuthorIds, Guid[] TopicIds, Guid[] WorkIds);

/// <summary>
/// Reads one article by slug in one round trip: the row, its section, and its authors, topics and works as arrays
/// in the order the page shows them. The busiest delivery read, so it is one hand-written query rather than EF
/// Core's: EF joins the three collections into one result whose rows multiply (authors x topics x works), or takes
/// a second trip for the bodies, which are most of the bytes.
/// </summary>
public static class ArticleReader
{
    // OFFSET 0 keeps each author, topic and work a primary-key lookup. Joined plainly, the planner scans and hashes
    // the whole authors and topics tables for every article (small tables look cheap): 5 times slower with 300-400
    // of each, and it grows with them.
    private const string Sql = $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT a.id, a.slug, a.title, a.dek, a.excerpt, s.slug, s.name,
               a.image_url, a.image_alt, a.image_credit,
               coalesce(a.published_at, a.updated_at), a.updated_at, a.canonical_url,
               a.original_publication_outlet, a.original_publication_url,
               a.original_publication_published_on, a.original_publication_title,
               a.body_html, a.body_blocks, a.body_text, a.word_count, a.reading_minutes,
               au.slugs, au.names, au.avatars,
               t.slugs, t.names,
               w.slugs, w.kinds, w.titles, w.short_labels, w.subtitles, w.creators, w.covers, w.urls,
               a.section_id, au.ids, t.ids, w.ids
        FROM articles a
        JOIN sections s ON s.id = a.section_id
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.name ORDER BY l.position) AS names,
                   array_agg(x.avatar_url ORDER BY l.position) AS avatars, array_agg(x.id ORDER BY l.position) AS ids
            FROM article_authors l, LATERAL (SELECT * FROM authors WHERE id = l.author_id OFFSET 0) x WHERE l.article_id = a.id) au
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY x.name) AS slugs, array_agg(x.name ORDER BY x.name) AS names,
                   array_agg(x.id ORDER BY x.name) AS ids
            FROM article_topics l, LATERAL (SELECT * FROM topics WHERE id = l.topic_id OFFSET 0) x WHERE l.article_id = a.id) t
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.kind ORDER BY l.position) AS kinds,
                   array_agg(x.title ORDER BY l.position) AS titles, array_agg(x.short_label ORDER BY l.position) AS short_labels,
                   array_agg(x.subtitle ORDER BY l.position) AS subtitles, array_agg(x.creators ORDER BY l.position) AS creators,
                   array_agg(x.cover_url ORDER BY l.position) AS covers, array_agg(x.url ORDER BY l.position) AS urls,
                   array_agg(x.id ORDER BY l.position) AS ids
            FROM article_works l, LATERAL (SELECT * FROM works WHERE id = l.work_id OFFSET 0) x WHERE l.article_id = a.id) w
        WHERE a.slug = @slug AND
        """;

    // The same rules as ArticleVisibility.Live, for each audience.
    private const string LiveSql = Sql + " a.status IN ('published', 'scheduled') AND a.published_at <= @now";
    private const string PreviewSql = Sql + " a.status <> 'archived'";

    /// <summary>The article with this slug that the audience may see, or null.</summary>
    public static async Task<ArticleRead?> ReadAsync(DeliveryQueries db, string slug, DateTimeOffset now, bool preview,
        SiteOptions site, CancellationToken ct)
    {
        await using var command = db.CreateCommand(preview ? PreviewSql : LiveSql);
        command.Parameters.Add(new NpgsqlParameter("slug", slug));
        if (!preview)
        {
            command.Parameters.Add(new NpgsqlParameter("now", now));
        }
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string?[] Texts(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string?[]>(i);
        Guid[] Ids(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<Guid[]>(i);

        var (authorSlugs, authorNames, avatars) = (Texts(22), Texts(23), Texts(24));
        var (topicSlugs, topicNames) = (Texts(25), Texts(26));
        var (workSlugs, kinds, titles, labels, subtitles, creators, covers, urls) =
            (Texts(27), Texts(28), Texts(29), Texts(30), Texts(31), Texts(32), Texts(33), Texts(34));
        var articleSlug = r.GetString(1);
        var blocks = JsonSerializer.Deserialize<List<BodyBlock>>(r.GetString(18), ArticleBody.BlockJson) ?? [];
        var article = new ArticleResponse(
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
        return new ArticleRead(article, r.GetGuid(35), Ids(36), Ids(37), Ids(38));
    }
}
