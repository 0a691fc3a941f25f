using System.Linq.Expressions;
using ContentApi.Content;
using ContentApi.Database;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>Article cards, shared by every list of articles.</summary>
public static class ArticleCards
{
    /// <summary>The projection from an article row to its card, for queries that build cards inside EF Core.</summary>
    public static readonly Expression<Func<Article, ArticleCard>> Projection = a => new ArticleCard(
        a.Id,
        a.Slug,
        a.Title,
        a.Dek,
        a.Excerpt,
        new SectionSummary(a.Section.Slug, a.Section.Name),
        a.Authors.OrderBy(x => x.Position).Select(x => new AuthorSummary(x.Author.Slug, x.Author.Name, x.Author.AvatarUrl)).ToList(),
        a.Topics.OrderBy(x => x.Topic.Name).Select(x => new TopicSummary(x.Topic.Slug, x.Topic.Name)).ToList(),
        a.Image == null ? null : new ImageResponse(a.Image.Url, a.Image.Alt, a.Image.Credit),
        a.PublishedAt ?? a.UpdatedAt,
        a.UpdatedAt,
        a.ReadingMinutes);

    // The same card with the authors and topics as arrays: one row per article, where EF Core's join gives one per
    // author and topic pair.
    private const string Sql = """
        SELECT a.id, a.slug, a.title, a.dek, a.excerpt, s.slug, s.name, au.slugs, au.names, au.avatars, t.slugs, t.names,
               a.image_url, a.image_alt, a.image_credit, coalesce(a.published_at, a.updated_at), a.updated_at, a.reading_minutes
        FROM articles a
        JOIN sections s ON s.id = a.section_id
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.name ORDER BY l.position) AS names,
                   array_agg(x.avatar_url ORDER BY l.position) AS avatars
            FROM article_authors l JOIN authors x ON x.id = l.author_id WHERE l.article_id = a.id) au
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY x.name) AS slugs, array_agg(x.name ORDER BY x.name) AS names
            FROM article_topics l JOIN topics x ON x.id = l.topic_id WHERE l.article_id = a.id) t
        WHERE a.id = ANY(@ids)
        """;

    /// <summary>The cards of these articles in the order given, in one round trip; ids not found are left out.</summary>
    public static async Task<List<ArticleCard>> ReadAsync(DeliveryQueries db, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var command = db.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter("ids", ids.ToArray()));
        await using var r = await command.ExecuteReaderAsync(ct);
        var cards = new Dictionary<Guid, ArticleCard>(ids.Count);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string?[] Texts(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string?[]>(i);
        while (await r.ReadAsync(ct))
        {
            var (authorSlugs, authorNames, avatars, topicSlugs, topicNames) = (Texts(7), Texts(8), Texts(9), Texts(10), Texts(11));
            var card = new ArticleCard(
                r.GetGuid(0), r.GetString(1), r.GetString(2), Text(3), Text(4),
                new SectionSummary(r.GetString(5), r.GetString(6)),
                authorSlugs.Select((s, i) => new AuthorSummary(s!, authorNames[i]!, avatars[i])).ToList(),
                topicSlugs.Select((s, i) => new TopicSummary(s!, topicNames[i]!)).ToList(),
                Text(12) is { } imageUrl ? new ImageResponse(imageUrl, Text(13), Text(14)) : null,
                r.GetFieldValue<DateTimeOffset>(15), r.GetFieldValue<DateTimeOffset>(16), r.GetInt32(17));
            cards[card.Id] = card;
        }
        return ids.Where(cards.ContainsKey).Select(id => cards[id]).ToList();
    }
}
