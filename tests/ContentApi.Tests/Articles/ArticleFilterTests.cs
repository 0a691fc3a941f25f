using System.Net;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Articles;

/// <summary>Every filter and sort of the article lists, checked against the same rule applied to the rows in memory.</summary>
public sealed class ArticleFilterTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<List<Article>> LiveArticlesAsync()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        return await db.Articles.AsNoTracking()
            .Include(a => a.Section).Include(a => a.Topics).ThenInclude(t => t.Topic).Include(a => a.Authors).ThenInclude(x => x.Author)
            .Where(a => (a.Status == ContentStatus.Published || a.Status == ContentStatus.Scheduled) && a.PublishedAt <= now)
            .ToListAsync();
    }

    private static List<string> NewestFirst(IEnumerable<Article> articles) =>
        articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Select(a => a.Slug).ToList();

    private async Task<List<string>> SlugsAsync(string url) =>
        (await _client.GetJsonAsync(url)).GetProperty("items").Strings("slug");

    [Fact]
    public async Task Section_filter_keeps_only_that_sections_articles()
    {
        var live = await LiveArticlesAsync();
        foreach (var section in live.Select(a => a.Section.Slug).Distinct())
        {
            Assert.Equal(NewestFirst(live.Where(a => a.Section.Slug == section)), await SlugsAsync($"/v1/articles?limit=100&section={section}"));
        }
    }

    [Fact]
    public async Task Repeated_topic_filters_keep_articles_with_all_of_them()
    {
        var live = await LiveArticlesAsync();
        Assert.Equal(NewestFirst(live.Where(a => a.Topics.Any(t => t.Topic.Slug == "russia"))), await SlugsAsync("/v1/articles?limit=100&topic=russia"));

        var both = NewestFirst(live.Where(a => a.Topics.Any(t => t.Topic.Slug == "russia") && a.Topics.Any(t => t.Topic.Slug == "china")));
        Assert.NotEmpty(both);
        Assert.Equal(both, await SlugsAsync("/v1/articles?limit=100&topic=russia&topic=china"));
    }

    [Fact]
    public async Task Author_filter_and_the_authors_article_list_agree()
    {
        var live = await LiveArticlesAsync();
        var expected = NewestFirst(live.Where(a => a.Authors.Any(x => x.Author.Slug == "cassie-b")));

        Assert.Equal(expected, await SlugsAsync("/v1/articles?limit=100&author=cassie-b"));
        Assert.Equal(expected, await SlugsAsync("/v1/authors/cassie-b/articles?limit=100"));
    }

    [Fact]
    public async Task Date_filters_bound_the_publication_time()
    {
        var live = await LiveArticlesAsync();
        var after = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var before = new DateTimeOffset(2026, 2, 6, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(NewestFirst(live.Where(a => a.PublishedAt >= after)), await SlugsAsync("/v1/articles?limit=100&publishedAfter=2026-01-01"));
        Assert.Equal(NewestFirst(live.Where(a => a.PublishedAt >= after && a.PublishedAt < before)),
            await SlugsAsync("/v1/articles?limit=100&publishedAfter=2026-01-01T00:00:00Z&publishedBefore=2026-02-06"));
    }

    [Fact]
    public async Task Sorts_order_by_publication_time_or_title()
    {
        var live = await LiveArticlesAsync();

        Assert.Equal(live.OrderBy(a => a.PublishedAt).ThenBy(a => a.Id).Select(a => a.Slug), await SlugsAsync("/v1/articles?limit=100&sort=publishedAt"));
        Assert.Equal(live.OrderBy(a => a.Title, StringComparer.Ordinal).ThenBy(a => a.Id).Select(a => a.Slug), await SlugsAsync("/v1/articles?limit=100&sort=title"));
    }

    [Theory]
    [InlineData("sort=title")]
    [InlineData("sort=publishedAt")]
    [InlineData("q=venezuela%20OR%20russia%20OR%20china%20OR%20church")]
    public async Task A_cursor_walk_in_any_sort_matches_the_single_page(string query)
    {
        var whole = await SlugsAsync($"/v1/articles?limit=100&{query}");
        var walked = new List<string>();
        var url = $"/v1/articles?limit=2&{query}";
        while (true)
        {
            var page = await _client.GetJsonAsync(url);
            walked.AddRange(page.GetProperty("items").Strings("slug"));
            if (page.GetProperty("page").GetProperty("next").GetString() is not { } next)
            {
                break;
            }
            url = $"/v1/articles?limit=2&{query}&cursor={Uri.EscapeDataString(next)}";
        }
        Assert.Equal(whole, walked);
    }

    [Fact]
    public async Task Full_text_q_ranks_the_title_match_first()
    {
        var slugs = await SlugsAsync("/v1/articles?q=Venezuela%20defies");

        Assert.Equal("venezuela-defies-the-us", slugs.First());
    }

    [Fact]
    public async Task With_q_and_no_sort_the_list_is_ranked_by_relevance()
    {
        var ranked = await SlugsAsync("/v1/articles?q=venezuela%20oil&limit=100");
        var explicitly = await SlugsAsync("/v1/articles?q=venezuela%20oil&sort=relevance&limit=100");
        var newest = await SlugsAsync("/v1/articles?q=venezuela%20oil&sort=-publishedAt&limit=100");

        Assert.Equal(explicitly, ranked);
        Assert.Equal(newest.Order(), ranked.Order());
        Assert.NotEqual(newest, ranked);
    }

    [Fact]
    public async Task A_cursor_from_one_sort_is_refused_by_another()
    {
        var next = (await _client.GetJsonAsync("/v1/articles?limit=1&sort=title")).GetProperty("page").GetProperty("next").GetString()!;

        var response = await _client.GetAsync($"/v1/articles?cursor={Uri.EscapeDataString(next)}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("publishedAfter=yesterday", "publishedAfter")]
    [InlineData("publishedBefore=2026-13-45", "publishedBefore")]
    [InlineData("publishedAfter=2026-01-01T10:00:00", "publishedAfter")]
    [InlineData("sort=newest", "sort")]
    [InlineData("sort=relevance", "sort")]
    [InlineData("section=Bad_Slug", "section")]
    [InlineData("topic=ok&topic=NOT%20OK", "topic")]
    [InlineData("author=x--y", "author")]
    [InlineData("cursor=abc&page=2", "page")]
    public async Task Bad_filters_return_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _client.GetAsync($"/v1/articles?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
