using System.Globalization;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Articles;

/// <summary>
/// The public lists read most (all articles, and one section's, topic's or author's) answered from what the
/// database keeps for them (see <see cref="ListedCount"/> and <see cref="ArticleTopic.ListedAt"/>): a total read from
/// one row instead of counted, and a topic's or author's page walked down one index of the link table instead of
/// joined over every article of the topic. Other filters go the general way in <see cref="ArticleList"/>.
/// </summary>
public static class ListedArticles
{
    /// <summary>
    /// The number of live articles in the list, as a one-row query, or null when the filters are not one of the kept
    /// lists. Kept counts include scheduled articles whose time has not come, so those (few) are counted and taken off.
    /// </summary>
    public static IQueryable<int>? LiveCount(ContentDb db, ArticleListFilters filters, DateTimeOffset now)
    {
        if (filters.Q is not null || filters.PublishedAfter is not null || filters.PublishedBefore is not null)
        {
            return null;
        }
        var notYetDue = db.Articles.Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.PublishedAt > now);
        return filters switch
        {
            { Section: null, Topics: [], Author: null } =>
                db.ListedCounts.Where(c => c.Kind == ListedCount.All).Select(c => c.Listed - notYetDue.Count()),
            { Section: { } section, Topics: [], Author: null } =>
                db.Sections.Where(s => s.Slug == section).Select(s =>
                    db.ListedCounts.Where(c => c.Kind == ListedCount.Section && c.Key == s.Id).Sum(c => c.Listed)
                    - notYetDue.Count(a => a.SectionId == s.Id)),
            { Section: null, Topics: [var topic], Author: null } =>
                db.Topics.Where(t => t.Slug == topic).Select(t =>
                    db.ListedCounts.Where(c => c.Kind == ListedCount.Topic && c.Key == t.Id).Sum(c => c.Listed)
                    - db.Set<ArticleTopic>().Count(l => l.TopicId == t.Id && l.ListedAt > now)),
            { Section: null, Topics: [], Author: { } author } =>
                db.Authors.Where(x => x.Slug == author).Select(x =>
                    db.ListedCounts.Where(c => c.Kind == ListedCount.Author && c.Key == x.Id).Sum(c => c.Listed)
                    - db.Set<ArticleAuthor>().Count(l => l.AuthorId == x.Id && l.ListedAt > now)),
            _ => null,
        };
    }

    /// <summary>
    /// The sort keys of one topic's or one author's live articles by publication time, read from the link table alone,
    /// or null when the filters ask for anything else.
    /// </summary>
    internal static IQueryable<ArticleList.Key>? Keys(ContentDb db, ArticleListFilters filters, DateTimeOffset now)
    {
        if (filters.Q is not null || filters.Section is not null || filters.Sort is not (ArticleSort.NewestFirst or ArticleSort.OldestFirst))
        {
            return null;
        }
        IQueryable<ArticleList.Key> keyed;
        switch (filters)
        {
            case { Topics: [var topic], Author: null }:
                var topicId = db.Topics.Where(t => t.Slug == topic).Select(t => t.Id);
                keyed = db.Set<ArticleTopic>().Where(l => l.TopicId == topicId.FirstOrDefault())
                    .Select(l => new ArticleList.Key { Id = l.ArticleId, PublishedAt = l.ListedAt!.Value });
                break;
            case { Topics: [], Author: { } author }:
                var authorId = db.Authors.Where(x => x.Slug == author).Select(x => x.Id);
                keyed = db.Set<ArticleAuthor>().Where(l => l.AuthorId == authorId.FirstOrDefault())
                    .Select(l => new ArticleList.Key { Id = l.ArticleId, PublishedAt = l.ListedAt!.Value });
                break;
            default:
                return null;
        }
        keyed = keyed.Where(k => k.PublishedAt <= now);
        if (filters.PublishedAfter is { } after)
        {
            keyed = keyed.Where(k => k.PublishedAt >= after);
        }
        if (filters.PublishedBefore is { } before)
        {
            keyed = keyed.Where(k => k.PublishedAt < before);
        }
        return keyed;
    }

    private const string LiveArticle = "a.status IN ('published', 'scheduled')";

    /// <summary>
    /// The newest-first page of a kept list (all articles, or one section's, topic's or author's, with no other filter)
    /// in one round trip: one statement picks the page's ids and reads their cards, a second reads the kept total. The
    /// general path takes two, and EF Core's own work on top; these lists are the ones read most. Null for any other list.
    /// </summary>
    internal static async Task<(List<ArticleCard> Cards, int Total, bool HasNext)?> ReadNewestPageAsync(DeliveryQueries queries,
        ArticleListFilters filters, (string SortValue, Guid Id)? cursor, int? page, int limit, DateTimeOffset now, CancellationToken ct)
    {
        if (filters is not { Q: null, PublishedAfter: null, PublishedBefore: null, Sort: ArticleSort.NewestFirst })
        {
            return null;
        }
        // Each list walks its own index newest first: the published articles', the section's, or the link table's.
        var (keys, total) = filters switch
        {
            { Section: null, Topics: [], Author: null } => (
                $"SELECT a.id, a.published_at FROM articles a WHERE {LiveArticle} AND a.published_at <= @now",
                $"""
                 SELECT c.listed - (SELECT count(*) FROM articles a WHERE {LiveArticle} AND a.published_at > @now)
                 FROM listed_counts c WHERE c.kind = 'all'
                 """),
            { Section: not null, Topics: [], Author: null } => (
                $"SELECT a.id, a.published_at FROM articles a WHERE a.section_id = (SELECT id FROM sections WHERE slug = @slug) AND {LiveArticle} AND a.published_at <= @now",
                $"""
                 SELECT coalesce((SELECT c.listed FROM listed_counts c WHERE c.kind = 'section' AND c.key = s.id), 0)
                        - (SELECT count(*) FROM articles a WHERE a.section_id = s.id AND {LiveArticle} AND a.published_at > @now)
                 FROM sections s WHERE s.slug = @slug
                 """),
            { Section: null, Topics: [_], Author: null } => LinkedList("topic"),
            { Section: null, Topics: [], Author: not null } => LinkedList("author"),
            _ => default,
        };
        if (keys is null)
        {
            return null;
        }
        var after = cursor is not null ? "WHERE (k.published_at, k.id) < (@after, @afterId)" : "";
        // The limit is written into the text, so that the plan is made for it (a few distinct values, each prepared once).
        var ranked = $"""
            SELECT * FROM unnest(ARRAY(
                SELECT k.id FROM ({keys}) AS k (id, published_at) {after}
                ORDER BY k.published_at DESC, k.id DESC LIMIT {limit + 1} OFFSET @offset)) WITH ORDINALITY
            """;
        await using var command = queries.CreateCommand($"{ArticleCards.Sql(ranked)};\n{total}");
        command.Parameters.Add(new NpgsqlParameter("now", now));
        command.Parameters.Add(new NpgsqlParameter("offset", page is { } number ? (number - 1) * limit : 0));
        command.Parameters.Add(new NpgsqlParameter("slug", (object?)(filters.Section ?? (filters.Topics.Count > 0 ? filters.Topics[0] : null) ?? filters.Author) ?? DBNull.Value));
        if (cursor is { } position)
        {
            command.Parameters.Add(new NpgsqlParameter("after", Paging.DecodeTime(position.SortValue)!.Value));
            command.Parameters.Add(new NpgsqlParameter("afterId", position.Id));
        }
        await using var r = await command.ExecuteReaderAsync(ct);
        var cards = await ArticleCards.ReadAsync(r, queries.Names, ct);
        await r.NextResultAsync(ct);
        var count = await r.ReadAsync(ct) ? (int)r.GetInt64(0) : 0;
        var hasNext = cards.Count > limit;
        if (hasNext)
        {
            cards.RemoveAt(limit);
        }
        return (cards, count, hasNext);
    }

    /// <summary>A topic's or author's list: its keys from the link table's listed index, and its kept total.</summary>
    private static (string Keys, string Total) LinkedList(string kind) => (
        $"SELECT l.article_id, l.listed_at FROM article_{kind}s l WHERE l.{kind}_id = (SELECT id FROM {kind}s WHERE slug = @slug) AND l.listed_at <= @now",
        $"""
         SELECT coalesce((SELECT c.listed FROM listed_counts c WHERE c.kind = '{kind}' AND c.key = x.id), 0)
                - (SELECT count(*) FROM article_{kind}s l WHERE l.{kind}_id = x.id AND l.listed_at > @now)
         FROM {kind}s x WHERE x.slug = @slug
         """);
}
