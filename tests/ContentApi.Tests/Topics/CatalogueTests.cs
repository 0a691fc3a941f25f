using System.Net;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Topics;

/// <summary>Authors, sections, topics and works: lists, single resources, counts and filters.</summary>
public sealed class CatalogueTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    private async Task<Dictionary<string, int>> LiveCountsAsync(Func<ContentDb, IQueryable<(string Slug, int Count)>> query)
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        return query(db).AsEnumerable().ToDictionary(x => x.Slug, x => x.Count);
    }

    private static bool IsLive(Article a, DateTimeOffset now) =>
        a.Status is ContentStatus.Published or ContentStatus.Scheduled && a.PublishedAt <= now;

    [Theory]
    [InlineData("authors")]
    [InlineData("sections")]
    [InlineData("topics")]
    public async Task Lists_are_sorted_by_name_and_count_only_published_articles(string resource)
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var articles = await db.Articles.AsNoTracking().Include(a => a.Topics).Include(a => a.Authors).ToListAsync();
        var live = articles.Where(a => IsLive(a, now)).ToList();
        var expected = resource switch
        {
            "authors" => (await db.Authors.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.Authors.Any(y => y.AuthorId == x.Id)))),
            "sections" => (await db.Sections.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.SectionId == x.Id))),
            _ => (await db.Topics.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.Topics.Any(t => t.TopicId == x.Id)))),
        };

        var list = await _client.GetJsonAsync($"/v1/{resource}?limit=100");

        var actual = list.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("name").GetString()!, i.GetProperty("slug").GetString()!, i.GetProperty("articleCount").GetInt32()));
        Assert.Equal(expected.OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Item2), actual);
        Assert.True(articles.Count > live.Count, "the seeds hold unpublished articles, so the counts really exclude them");
    }

    [Fact]
    public async Task One_author_has_profile_links_and_a_count()
    {
        var author = await _client.GetJsonAsync("/v1/authors/cassie-b");

        Assert.Equal("Cassie B.", author.GetProperty("name").GetString());
        Assert.True(author.GetProperty("articleCount").GetInt32() >= 2);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, author.GetProperty("links").ValueKind);
    }

    [Fact]
    public async Task Works_filter_by_kind_and_topic_and_carry_their_labels()
    {
        var books = (await _client.GetJsonAsync("/v1/works?limit=100&kind=book")).GetProperty("items");
        Assert.All(books.EnumerateArray(), w => Assert.Equal("book", w.GetProperty("kind").GetString()));
        var cds = (await _client.GetJsonAsync("/v1/works?kind=cd")).GetProperty("items");
        Assert.True(cds.GetArrayLength() >= 1);
        Assert.All(cds.EnumerateArray(), w => Assert.Equal("cd", w.GetProperty("kind").GetString()));

        var work = await _client.GetJsonAsync("/v1/works/vade-mecum-on-the-errors-of-nazism");
        Assert.Equal("Vade Mecum against Nazism", work.GetProperty("shortLabel").GetString());
        var topic = work.GetProperty("topics").EnumerateArray().First().GetProperty("slug").GetString();

        var byTopic = (await _client.GetJsonAsync($"/v1/works?limit=100&topic={topic}")).GetProperty("items").Strings("slug");
        Assert.Contains("vade-mecum-on-the-errors-of-nazism", byTopic);
    }

    [Fact]
    public async Task A_topics_articles_are_those_tagged_with_it()
    {
        var topic = await _client.GetJsonAsync("/v1/topics/russia");
        var articles = await _client.GetJsonAsync("/v1/topics/russia/articles?limit=100");

        Assert.Equal(topic.GetProperty("articleCount").GetInt32(), articles.GetProperty("page").GetProperty("total").GetInt32());
        Assert.All(articles.GetProperty("items").EnumerateArray(),
            card => Assert.Contains("russia", card.GetProperty("topics").Strings("slug")));
    }

    [Fact]
    public async Task A_sections_articles_are_filed_under_it()
    {
        var articles = await _client.GetJsonAsync("/v1/sections/international-affairs/articles?limit=100");

        Assert.NotEmpty(articles.GetProperty("items").EnumerateArray());
        Assert.All(articles.GetProperty("items").EnumerateArray(),
            card => Assert.Equal("international-affairs", card.GetProperty("section").GetProperty("slug").GetString()));
    }

    [Theory]
    [InlineData("/v1/authors/nobody")]
    [InlineData("/v1/authors/nobody/articles")]
    [InlineData("/v1/sections/nowhere")]
    [InlineData("/v1/sections/nowhere/articles")]
    [InlineData("/v1/topics/nothing")]
    [InlineData("/v1/topics/nothing/articles")]
    [InlineData("/v1/works/no-such-work")]
    [InlineData("/v1/articles/no-such-article/related")]
    public async Task Unknown_slugs_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/works?kind=vinyl", "kind")]
    [InlineData("/v1/works?topic=A", "topic")]
    [InlineData("/v1/authors?limit=0", "limit")]
    [InlineData("/v1/topics?cursor=%%%", "cursor")]
    [InlineData("/v1/sections?sort=name", "sort")]
    [InlineData("/v1/articles/venezuela-defies-the-us/related?limit=21", "limit")]
    public async Task Bad_parameters_are_400_problems_naming_them(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task A_renamed_authors_old_slug_redirects_including_sub_resources()
    {
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            var author = await db.Authors.SingleAsync(a => a.Slug == "cassie-b");
            db.FormerSlugs.Add(new FormerSlug { ResourceType = "author", Slug = "cassie-old", ResourceId = author.Id, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var profile = await _client.GetAsync("/v1/authors/cassie-old");
        var articles = await _client.GetAsync("/v1/authors/cassie-old/articles?limit=5");

        Assert.Equal(HttpStatusCode.MovedPermanently, profile.StatusCode);
        Assert.Equal("/v1/authors/cassie-b", profile.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.MovedPermanently, articles.StatusCode);
        Assert.Equal("/v1/authors/cassie-b/articles?limit=5", articles.Headers.Location?.OriginalString);
    }
}
