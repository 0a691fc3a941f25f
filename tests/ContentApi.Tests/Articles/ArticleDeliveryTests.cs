using System.Net;
using System.Net.Http.Headers;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Articles;

public sealed class ArticleDeliveryTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public async Task Unknown_slug_returns_404_problem()
    {
        var response = await _client.GetAsync("/v1/articles/no-such-article");

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-article", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Not-A-Slug")]
    [InlineData("double--hyphen")]
    [InlineData("under_score")]
    public async Task Malformed_slug_returns_400_naming_the_slug(string slug)
    {
        var response = await _client.GetAsync($"/v1/articles/{slug}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("slug", out _));
    }

    [Fact]
    public async Task A_former_slug_redirects_permanently_to_the_current_one()
    {
        var response = await _client.GetAsync("/v1/articles/venezuela-defies-us");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/v1/articles/venezuela-defies-the-us", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Drafts_scheduled_and_archived_articles_are_invisible_by_slug_and_in_lists()
    {
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var hidden = db.Articles
            .Where(a => a.Status != ContentApi.Content.ContentStatus.Published)
            .Select(a => a.Slug)
            .ToList();
        Assert.NotEmpty(hidden);

        foreach (var slug in hidden)
        {
            // An archived article was public once: its address says it is gone (410) rather than unknown.
            var archived = db.Articles.Any(a => a.Slug == slug && a.Status == ContentApi.Content.ContentStatus.Archived);
            await (await _client.GetAsync($"/v1/articles/{slug}")).AssertProblemAsync(archived ? HttpStatusCode.Gone : HttpStatusCode.NotFound);
        }
        var listed = (await _client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug");
        Assert.Empty(listed.Intersect(hidden));
    }

    [Fact]
    public async Task An_article_has_a_strong_etag_and_answers_304_when_it_matches()
    {
        var first = await _client.GetAsync("/v1/articles/venezuela-defies-the-us");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("public, max-age=60, stale-while-revalidate=300", first.Headers.CacheControl?.ToString());
        Assert.NotNull(first.Content.Headers.LastModified);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/articles/venezuela-defies-the-us");
        conditional.Headers.IfNoneMatch.Add(etag);
        var second = await _client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.Headers.ETag);
    }

    [Fact]
    public async Task If_modified_since_the_last_change_answers_304()
    {
        var first = await _client.GetAsync("/v1/articles/venezuela-defies-the-us");
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/v1/articles/venezuela-defies-the-us");
        conditional.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(conditional)).StatusCode);

        using var older = new HttpRequestMessage(HttpMethod.Get, "/v1/articles/venezuela-defies-the-us");
        older.Headers.IfModifiedSince = lastModified.AddDays(-1);
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(older)).StatusCode);
    }

    [Fact]
    public async Task The_list_is_newest_first_and_a_cursor_walk_sees_every_article_once()
    {
        var all = await _client.GetJsonAsync("/v1/articles?limit=100");
        var expected = all.GetProperty("items").Strings("slug");
        var total = all.GetProperty("page").GetProperty("total").GetInt32();
        Assert.Equal(expected.Count, total);
        Assert.True(total >= 10);
        var times = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("publishedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);

        var walked = new List<string>();
        string? url = "/v1/articles?limit=3";
        while (url is not null)
        {
            var response = await _client.GetAsync(url);
            var page = await response.ReadJsonAsync();
            walked.AddRange(page.GetProperty("items").Strings("slug"));
            var next = page.GetProperty("page").GetProperty("next").GetString();
            if (next is null)
            {
                Assert.False(response.Headers.Contains("Link"));
                url = null;
            }
            else
            {
                var link = Assert.Single(response.Headers.GetValues("Link"));
                Assert.Contains("rel=\"next\"", link, StringComparison.Ordinal);
                url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
            }
        }
        Assert.Equal(expected, walked);
    }

    [Fact]
    public async Task Numbered_pages_partition_the_list()
    {
        var all = (await _client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug");

        var page2 = await _client.GetAsync("/v1/articles?limit=4&page=2");
        var items = (await page2.ReadJsonAsync()).GetProperty("items").Strings("slug");

        Assert.Equal(all.Skip(4).Take(4), items);
        var link = Assert.Single(page2.Headers.GetValues("Link"));
        Assert.Contains("page=3", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", link, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("page=0", "page")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limt=5", "limt")]
    public async Task Bad_list_parameters_return_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _client.GetAsync($"/v1/articles?{query}");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray());
    }

    [Fact]
    public async Task Unknown_routes_return_404_problem()
    {
        var response = await _client.GetAsync("/v1/nothing-here");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Any_origin_may_read_the_delivery_api()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/articles");
        request.Headers.Add("Origin", "https://partner.example");
        var response = await _client.SendAsync(request);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal(new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }, response.Content.Headers.ContentType);
    }
}
