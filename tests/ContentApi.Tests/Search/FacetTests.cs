using System.Net;
using System.Text.Json;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Search;

/// <summary>Facet counts on /v1/articles and /v1/search, checked against the articles' links in the database.</summary>
public sealed class FacetTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    /// <summary>What each live article would count under each facet, read straight from the tables.</summary>
    private async Task<Dictionary<Guid, Dictionary<string, string[]>>> FacetValuesOfLiveArticlesAsync()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var rows = await db.Articles
            .Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.PublishedAt <= now)
            .Select(a => new
            {
                a.Id, Section = a.Section.Slug, a.PublishedAt,
                Topics = a.Topics.Select(t => t.Topic.Slug).ToList(), Authors = a.Authors.Select(x => x.Author.Slug).ToList(),
            })
            .ToListAsync();
        return rows.ToDictionary(r => r.Id, r => new Dictionary<string, string[]>
        {
            ["section"] = [r.Section],
            ["topic"] = [.. r.Topics],
            ["author"] = [.. r.Authors],
            ["year"] = [r.PublishedAt!.Value.UtcDateTime.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        });
    }

    /// <summary>Every id a list answers, page by page.</summary>
    private async Task<List<Guid>> AllIdsAsync(string url)
    {
        var ids = new List<Guid>();
        var next = url;
        while (next is not null)
        {
            var page = await _client.GetJsonAsync(next);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            next = page.GetProperty("page").GetProperty("next").GetString() is { } cursor
                ? $"{url}&cursor={Uri.EscapeDataString(cursor)}"
                : null;
        }
        return ids;
    }

    /// <summary>A facet's answer matches the true counts over these articles: the most frequent values, each with its count.</summary>
    private static void AssertFacet(JsonElement facets, string name, int limit, IReadOnlyList<Guid> counted,
        Dictionary<Guid, Dictionary<string, string[]>> truth)
    {
        var expected = counted.SelectMany(id => truth[id][name]).CountBy(v => v).ToDictionary(p => p.Key, p => p.Value);
        var values = facets.GetProperty(name).EnumerateArray()
            .Select(v => (Value: v.GetProperty("value").GetString()!, Count: v.GetProperty("count").GetInt32())).ToList();

        Assert.Equal(Math.Min(limit, expected.Count), values.Count);
        Assert.All(values, v => Assert.Equal(expected[v.Value], v.Count));
        Assert.Equal(expected.Values.OrderDescending().Take(limit), values.Select(v => v.Count));
        Assert.Equal(values.Count, values.Select(v => v.Value).Distinct().Count());
    }

    [Fact]
    public async Task Article_list_facets_count_every_matching_article_by_section_topic_author_and_year()
    {
        var truth = await FacetValuesOfLiveArticlesAsync();
        var all = truth.Keys.ToList();

        var body = await _client.GetJsonAsync("/v1/articles?facets=section,topic,author:3,year&limit=5");

        Assert.Equal(5, body.GetProperty("items").GetArrayLength());
        var facets = body.GetProperty("facets");
        Assert.Equal(all.Count, facets.GetProperty("counted").GetInt32());
        Assert.True(facets.GetProperty("isExact").GetBoolean());
        AssertFacet(facets, "section", 20, all, truth);
        AssertFacet(facets, "topic", 20, all, truth);
        AssertFacet(facets, "author", 3, all, truth);
        AssertFacet(facets, "year", 20, all, truth);
        // Sections, topics and authors come with their names for the sidebar; years have none.
        Assert.All(facets.GetProperty("topic").EnumerateArray(), v => Assert.False(string.IsNullOrEmpty(v.GetProperty("name").GetString())));
        Assert.All(facets.GetProperty("year").EnumerateArray(), v => Assert.Equal(JsonValueKind.Null, v.GetProperty("name").ValueKind));
    }

    [Fact]
    public async Task Facets_follow_the_filters_and_the_search_and_are_null_unless_asked_for()
    {
        var truth = await FacetValuesOfLiveArticlesAsync();
        var section = truth.Values.GroupBy(v => v["section"][0]).OrderByDescending(g => g.Count()).First().Key;
        var inSection = truth.Where(t => t.Value["section"][0] == section).Select(t => t.Key).ToList();

        var filtered = (await _client.GetJsonAsync($"/v1/articles?section={section}&facets=topic:2,section")).GetProperty("facets");
        Assert.Equal(inSection.Count, filtered.GetProperty("counted").GetInt32());
        AssertFacet(filtered, "topic", 2, inSection, truth);
        AssertFacet(filtered, "section", 20, inSection, truth);
        Assert.Equal(JsonValueKind.Null, filtered.GetProperty("author").ValueKind);

        // A search counts the articles it ranks: here every match, as /v1/articles?q= lists them.
        var matching = await AllIdsAsync("/v1/articles?q=war&limit=100");
        Assert.NotEmpty(matching);
        var searched = await _client.GetJsonAsync("/v1/search?q=war&facets=section,topic,author:2,year&limit=1");
        var facets = searched.GetProperty("facets");
        Assert.Equal(matching.Count, facets.GetProperty("counted").GetInt32());
        Assert.True(facets.GetProperty("isExact").GetBoolean());
        AssertFacet(facets, "section", 20, matching, truth);
        AssertFacet(facets, "topic", 20, matching, truth);
        AssertFacet(facets, "author", 2, matching, truth);
        AssertFacet(facets, "year", 20, matching, truth);
        // A search counts as a list counts: the same values, names and order.
        var listed = (await _client.GetJsonAsync("/v1/articles?q=war&facets=section,topic,author:2,year&limit=100")).GetProperty("facets");
        foreach (var name in new[] { "section", "topic", "author", "year" })
        {
            Assert.Equal(listed.GetProperty(name).GetRawText(), facets.GetProperty(name).GetRawText());
        }

        Assert.Equal(JsonValueKind.Null, (await _client.GetJsonAsync("/v1/articles")).GetProperty("facets").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _client.GetJsonAsync("/v1/search?q=war")).GetProperty("facets").ValueKind);
        // Only articles are counted: a search of topics alone counts none.
        var topicsOnly = (await _client.GetJsonAsync("/v1/search?q=war&type=topic&facets=topic")).GetProperty("facets");
        Assert.Equal(0, topicsOnly.GetProperty("counted").GetInt32());
        Assert.Empty(topicsOnly.GetProperty("topic").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/articles?facets=colour")]
    [InlineData("/v1/articles?facets=topic:0")]
    [InlineData("/v1/articles?facets=topic:101")]
    [InlineData("/v1/articles?facets=topic:ten")]
    [InlineData("/v1/articles?facets=topic,topic:5")]
    [InlineData("/v1/articles?facets=")]
    [InlineData("/v1/search?q=war&facets=section,,year")]
    public async Task A_facet_list_that_is_not_one_is_a_400_naming_facets(string url)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("facets", out _), problem.ToString());
    }
}
