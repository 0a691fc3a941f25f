using ContentApi.Database;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>Article cards, shared by every list of articles.</summary>
public static class ArticleCards
{
    // A card with its authors' and topics' ids as arrays (authors in byline order), kept in the article's own row
    // (LinkIdsOnArticles): one row per article, where EF Core's join gives one per author and topic pair, and no walk
    // of the link tables. Their names come from CardNames, at least as new as the counter read here. The articles come
    // from a query answering (id, position), and the cards in that order. Every part is an index lookup or an index
    // walk that stops at its limit, so one prepared plan serves every request (see the tag).
    internal static string Sql(string ranked) => $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT a.id, a.slug, a.title, a.dek, a.excerpt, s.slug, s.name, a.author_ids, a.topic_ids, (SELECT stamp FROM card_names_stamp),
               a.image_url, a.image_alt, a.image_credit, coalesce(a.published_at, a.updated_at), a.updated_at, a.reading_minutes
        FROM ({ranked}) AS ranked (id, position)
        JOIN articles a ON a.id = ranked.id
        JOIN sections s ON s.id = a.section_id
        ORDER BY ranked.position
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
        return await ReadAsync(r, db.Names, ct);
    }

    /// <summary>The cards of a result set that <see cref="Sql"/> made, named from <paramref name="names"/>.</summary>
    internal static async Task<List<ArticleCard>> ReadAsync(NpgsqlDataReader r, CardNames names, CancellationToken ct)
    {
        // Each card is read with its authors and topics as ids, named once the whole page is read.
        var rows = new List<(ArticleCard Card, Guid[] Authors, Guid[] Topics)>();
        var stamp = 0L;
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (await r.ReadAsync(ct))
        {
            stamp = r.GetInt64(9);
            rows.Add((new ArticleCard(r.GetGuid(0), r.GetString(1), r.GetString(2), Text(3), Text(4),
                new SectionSummary(r.GetString(5), r.GetString(6)), [], [],
                Text(10) is { } imageUrl ? new ImageResponse(imageUrl, Text(11), Text(12)) : null,
                r.GetFieldValue<DateTimeOffset>(13), r.GetFieldValue<DateTimeOffset>(14), r.GetInt32(15)), r.GetFieldValue<Guid[]>(7), r.GetFieldValue<Guid[]>(8)));
        }
        if (rows.Count == 0)
        {
            return [];
        }
        var named = await names.AtLeastAsync(stamp, ct);
        return rows.Select(row => row.Card with { Authors = named.AuthorsOf(row.Authors), Topics = named.TopicsOf(row.Topics) })
            .ToList();
    }
}
