using ContentApi.Database;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>Article cards, shared by every list of articles.</summary>
public static class ArticleCards
{
    // A card with its authors and topics as arrays: one row per article, where EF Core's join gives one per
    // author and topic pair. OFFSET 0 keeps the names primary-key lookups (see ArticleReader). The articles come from
    // a query answering (id, position), and the cards in that order. Every part is an index lookup or an index walk
    // that stops at its limit, so one prepared plan serves every request (see the tag).
    internal static string Sql(string ranked) => $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT a.id, a.slug, a.title, a.dek, a.excerpt, s.slug, s.name, au.slugs, au.names, au.avatars, t.slugs, t.names,
               a.image_url, a.image_alt, a.image_credit, coalesce(a.published_at, a.updated_at), a.updated_at, a.reading_minutes
        FROM ({ranked}) AS ranked (id, position)
        JOIN articles a ON a.id = ranked.id
        JOIN sections s ON s.id = a.section_id
        {AuthorsAndTopics}
        ORDER BY ranked.position
        """;

    /// <summary>
    /// Article a's authors (au: slugs, names, avatars, in byline order) and topics (t: slugs, names, by name) as arrays,
    /// for any query over articles a; the feeds use them too.
    /// </summary>
    public const string AuthorsAndTopics = """
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY l.position) AS slugs, array_agg(x.name ORDER BY l.position) AS names,
                   array_agg(x.avatar_url ORDER BY l.position) AS avatars
            FROM article_authors l, LATERAL (SELECT * FROM authors WHERE id = l.author_id OFFSET 0) x WHERE l.article_id = a.id) au
        CROSS JOIN LATERAL (
            SELECT array_agg(x.slug ORDER BY x.name) AS slugs, array_agg(x.name ORDER BY x.name) AS names
            FROM article_topics l, LATERAL (SELECT * FROM topics WHERE id = l.topic_id OFFSET 0) x WHERE l.article_id = a.id) t
        """;

    private const string GivenIds = "SELECT * FROM unnest(@ids) WITH ORDINALITY";

    /// <summary>The cards of these articles in the order given, in one round trip; ids not found are left out.</summary>
    public static async Task<List<ArticleCard>> ReadAsync(DeliveryQueries db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await ReadAsync(db, GivenIds, [new NpgsqlParameter("ids", ids.ToArray())], ct);

    /// <summary>
    /// The cards of the articles <paramref name="ranked"/> picks, in its order, in one round trip: a query answering
    /// (id, position), with its parameters.
    /// </summary>
    public static async Task<List<ArticleCard>> ReadAsync(DeliveryQueries db, string ranked, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        await using var command = db.CreateCommand(Sql(ranked));
        command.Parameters.AddRange(parameters);
        await using var r = await command.ExecuteReaderAsync(ct);
        return await ReadAsync(r, ct);
    }

    /// <summary>The cards of a result set that <see cref="Sql"/> made.</summary>
    internal static async Task<List<ArticleCard>> ReadAsync(NpgsqlDataReader r, CancellationToken ct)
    {
        var cards = new List<ArticleCard>();
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string?[] Texts(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string?[]>(i);
        while (await r.ReadAsync(ct))
        {
            var (authorSlugs, authorNames, avatars, topicSlugs, topicNames) = (Texts(7), Texts(8), Texts(9), Texts(10), Texts(11));
            cards.Add(new ArticleCard(
                r.GetGuid(0), r.GetString(1), r.GetString(2), Text(3), Text(4),
                new SectionSummary(r.GetString(5), r.GetString(6)),
                authorSlugs.Select((s, i) => new AuthorSummary(s!, authorNames[i]!, avatars[i])).ToList(),
                topicSlugs.Select((s, i) => new TopicSummary(s!, topicNames[i]!)).ToList(),
                Text(12) is { } imageUrl ? new ImageResponse(imageUrl, Text(13), Text(14)) : null,
                r.GetFieldValue<DateTimeOffset>(15), r.GetFieldValue<DateTimeOffset>(16), r.GetInt32(17)));
        }
        return cards;
    }
}
