using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The delivery tests of authors, sections, topics and works share one API on one clone, as they did when they were one
/// class: they read the seeds, and the one thing they write (an author's former slug) no other of them looks at.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CatalogueApi : ICollectionFixture<ApiFactory>
{
    public const string Name = "catalogue";
}

/// <summary>What the catalogue lists (authors, sections, topics) must answer, worked out from the database.</summary>
public static class CatalogueLists
{
    /// <summary>
    /// <c>/v1/{resource}</c> lists every row sorted by name, each with a count of its articles the public sees now;
    /// <paramref name="expected"/> gives the rows' (name, slug, count) from the database and the live articles.
    /// </summary>
    public static async Task AssertSortedWithLiveCountsAsync(ApiFactory api, string resource,
        Func<ContentDb, List<Article>, Task<IEnumerable<(string Name, string Slug, int Count)>>> expected)
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var articles = await db.Articles.AsNoTracking().Include(a => a.Topics).Include(a => a.Authors).ToListAsync();
        var live = articles.Where(a => a.Status is ContentStatus.Published or ContentStatus.Scheduled && a.PublishedAt <= now).ToList();
        var rows = await expected(db, live);

        var list = await api.CreateClient().GetJsonAsync($"/v1/{resource}?limit=100");

        var actual = list.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("slug").GetString()!, i.GetProperty("articleCount").GetInt32()));
        Assert.Equal(rows.OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Slug), actual);
        Assert.True(articles.Count > live.Count, "the seeds hold unpublished articles, so the counts really exclude them");
    }
}
