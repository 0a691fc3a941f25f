using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Search;

public sealed class SearchTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_search_finds_articles_and_works_ranked_with_highlighted_snippets()
    {
        var result = await _client.GetJsonAsync("/v1/search?q=venezuela");
        var hits = result.GetProperty("items").EnumerateArray().ToList();

        var top = hits.First();
        Assert.Equal("article", top.GetProperty("type").GetString());
        Assert.Equal("venezuela-defies-the-us", top.GetProperty("slug").GetString());
        Assert.Contains("<mark>", top.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.Equal("venezuela-defies-the-us", top.GetProperty("article").GetProperty("slug").GetString());
        var ranks = hits.Select(h => h.GetProperty("rank").GetSingle()).ToList();
        Assert.Equal(ranks.OrderByDescending(r => r), ranks);

        var works = (await _client.GetJsonAsync("/v1/search?q=crusades&type=work")).GetProperty("items");
        Assert.Contains("in-the-wake-of-the-crusades", works.Strings("slug"));
        Assert.All(works.EnumerateArray(), w => Assert.Equal("work", w.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Stemming_phrases_or_and_exclusion_work()
    {
        var stemmed = (await _client.GetJsonAsync("/v1/search?q=defying&type=article")).GetProperty("items").Strings("slug");
        Assert.Contains("venezuela-defies-the-us", stemmed);

        var excluded = (await _client.GetJsonAsync("/v1/search?q=venezuela%20-russia&type=article")).GetProperty("items").Strings("slug");
        Assert.DoesNotContain("venezuela-defies-the-us", excluded);

        var either = (await _client.GetJsonAsync("/v1/search?q=venezuela%20or%20crusades")).GetProperty("items").Strings("slug");
        Assert.Contains("venezuela-defies-the-us", either);
        Assert.Contains("in-the-wake-of-the-crusades", either);
    }

    [Fact]
    public async Task Search_combines_with_article_filters()
    {
        var inSection = (await _client.GetJsonAsync("/v1/search?q=venezuela&section=international-affairs")).GetProperty("items");
        Assert.All(inSection.EnumerateArray(), h => Assert.Equal("article", h.GetProperty("type").GetString()));
        Assert.Contains("venezuela-defies-the-us", inSection.Strings("slug"));

        var elsewhere = (await _client.GetJsonAsync("/v1/search?q=venezuela&section=culture")).GetProperty("items");
        Assert.DoesNotContain("venezuela-defies-the-us", elsewhere.Strings("slug"));
    }

    [Fact]
    public async Task Unpublished_articles_never_show_up_in_search()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var hidden = db.Articles.Where(a => a.Status != ContentApi.Content.ContentStatus.Published).Select(a => new { a.Slug, a.Title }).ToList();
        Assert.NotEmpty(hidden);

        foreach (var article in hidden)
        {
            var hits = (await _client.GetJsonAsync($"/v1/search?q={Uri.EscapeDataString(article.Title)}&limit=100")).GetProperty("items");
            Assert.DoesNotContain(article.Slug, hits.Strings("slug"));
        }
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("'; DROP TABLE articles; --")]
    [InlineData("a & b | !c <-> (d:*)")]
    [InlineData("\"unclosed phrase")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("ünïcødé 中文 العربية")]
    [InlineData("or or or - - -")]
    public async Task Any_search_text_is_answered_without_error(string q)
    {
        var response = await _client.GetAsync($"/v1/search?q={Uri.EscapeDataString(q)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_or_overlong_search_text_is_a_400_naming_q()
    {
        foreach (var url in new[] { "/v1/search", "/v1/search?q=", "/v1/search?q=%20%20", $"/v1/search?q={new string('a', 10_240)}" })
        {
            var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _), url);
        }
        var badType = await (await _client.GetAsync("/v1/search?q=war&type=video")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badType.GetProperty("errors").TryGetProperty("type", out _));
    }

    [Fact]
    public async Task Search_pages_follow_the_cursor_without_repeats()
    {
        var all = (await _client.GetJsonAsync("/v1/search?q=war%20or%20russia%20or%20china%20or%20church&limit=100")).GetProperty("items").Strings("id");
        var walked = new List<string>();
        var url = "/v1/search?q=war%20or%20russia%20or%20china%20or%20church&limit=2";
        while (true)
        {
            var page = await _client.GetJsonAsync(url);
            walked.AddRange(page.GetProperty("items").Strings("id"));
            if (page.GetProperty("page").GetProperty("next").GetString() is not { } next)
            {
                break;
            }
            url = $"/v1/search?q=war%20or%20russia%20or%20china%20or%20church&limit=2&cursor={Uri.EscapeDataString(next)}";
        }
        Assert.True(all.Count > 2);
        Assert.Equal(all, walked);
    }
}
