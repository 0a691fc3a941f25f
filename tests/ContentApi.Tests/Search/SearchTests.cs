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
    public async Task A_quoted_phrase_matches_its_words_in_order_only()
    {
        var inOrder = (await _client.GetJsonAsync("/v1/search?q=%22venezuela%20defies%22&type=article")).GetProperty("items");
        Assert.Contains("venezuela-defies-the-us", inOrder.Strings("slug"));

        var reversed = await _client.GetJsonAsync("/v1/search?q=%22defies%20venezuela%22&type=article");
        Assert.DoesNotContain("venezuela-defies-the-us", reversed.GetProperty("items").Strings("slug"));
        Assert.True(reversed.GetProperty("page").GetProperty("totalIsExact").GetBoolean());
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
    public async Task Every_article_filter_narrows_a_search_as_it_narrows_the_article_list()
    {
        const string q = "war%20or%20russia%20or%20china%20or%20church%20or%20oil%20or%20venezuela";
        var topics = (await _client.GetJsonAsync("/v1/topics?limit=100")).GetProperty("items").Strings("slug");
        var authors = (await _client.GetJsonAsync("/v1/authors?limit=100")).GetProperty("items").Strings("slug");
        var dates = (await _client.GetJsonAsync($"/v1/articles?q={q}&limit=100")).GetProperty("items").EnumerateArray()
            .Select(a => a.GetProperty("publishedAt").GetString()!).Order(StringComparer.Ordinal).ToList();
        var middle = Uri.EscapeDataString(dates[dates.Count / 2]);
        var filters = topics.Select(t => $"topic={t}")
            .Concat(authors.Select(a => $"author={a}"))
            .Append($"topic={topics[0]}&topic={topics[1]}")
            .Append($"publishedAfter={middle}")
            .Append($"publishedBefore={middle}")
            .Append($"section=international-affairs&publishedAfter={middle}")
            .ToList();
        var previewer = api.ClientWithKey(await api.CreateKeyAsync("search-filters-previewer", "content:preview"));

        var narrowed = 0;
        foreach (var filter in filters)
        {
            var searched = await SearchedAndListedAsync(_client, q, filter);
            narrowed += searched.Count > 0 && searched.Count < dates.Count ? 1 : 0;
        }
        Assert.True(narrowed >= 5, $"only {narrowed} filters kept some matches and left out others");

        // A preview searches drafts too.
        Assert.Contains("notes-on-a-draft-about-harvests", await SearchedAndListedAsync(previewer, "harvests", "preview=true"));
    }

    /// <summary>The articles a search finds, after checking that the article list with the same query and filters finds the same.</summary>
    private static async Task<List<string>> SearchedAndListedAsync(HttpClient client, string q, string filter)
    {
        var searched = (await client.GetJsonAsync($"/v1/search?q={q}&{filter}&type=article&limit=100")).GetProperty("items").Strings("slug");
        var listed = (await client.GetJsonAsync($"/v1/articles?q={q}&{filter}&limit=100")).GetProperty("items").Strings("slug");
        Assert.True(listed.Order().SequenceEqual(searched.Order()),
            $"{filter}: search found {string.Join(", ", searched.Order())}; the list, {string.Join(", ", listed.Order())}");
        return searched;
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
    }

    [Fact]
    public async Task Markup_in_matched_text_comes_back_escaped_in_the_snippet()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("search-markup", "content:write"));
        var created = await editor.PostJsonAsync("/v1/manage/topics", new
        {
            slug = "markup-escaping",
            name = "Markup escaping",
            // Stored text is plain text, so whatever looks like markup in it reaches the snippet and must come escaped.
            description = "Zanzibar spice routes, quoted as markup: a < b && c > d, then <script src=//evil.example/x.js",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var hits = (await _client.GetJsonAsync("/v1/search?q=zanzibar&type=topic")).GetProperty("items");

        var snippet = hits.EnumerateArray().Single(h => h.GetProperty("slug").GetString() == "markup-escaping").GetProperty("snippet").GetString()!;
        Assert.Contains("<mark>Zanzibar</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("a &lt; b &amp;&amp; c &gt; d", snippet, StringComparison.Ordinal); // the stored text, escaped
        Assert.DoesNotContain("a < b", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snippets_are_built_for_the_returned_hits_only()
    {
        using var counter = new DatabaseCommandCounter(api.ConnectionString);

        var page = (await _client.GetJsonAsync("/v1/search?q=war%20or%20russia%20or%20china%20or%20church&limit=2&page=2")).GetProperty("items");

        Assert.Equal(2, page.GetArrayLength());
        Assert.All(page.EnumerateArray(), h => Assert.False(string.IsNullOrEmpty(h.GetProperty("snippet").GetString())));
        var texts = counter.Statements.Where(sql => sql.Contains("a.body_text", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(texts);
        // Each query for snippet texts is restricted to the ids of the page, not run over every ranked match.
        Assert.All(texts, sql => Assert.True(sql.Contains("ANY (", StringComparison.Ordinal) || sql.Contains(" IN (", StringComparison.Ordinal), sql));
        Assert.All(texts, sql => Assert.DoesNotContain("ts_rank", sql, StringComparison.Ordinal));
        Assert.All(texts, sql => Assert.DoesNotContain("LIMIT", sql, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/v1/search?q=war&page=101&limit=100")]
    [InlineData("/v1/search?q=war&page=100000&limit=100")]
    [InlineData("/v1/search?q=war&page=501")]
    public async Task Search_pages_beyond_the_deepest_allowed_are_a_400_naming_page(string url)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out var messages), url);
        Assert.Contains("cursor", messages[0].GetString(), StringComparison.Ordinal);
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
