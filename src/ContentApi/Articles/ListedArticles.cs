using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

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
}
