using System.Net;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Authors;

/// <summary>Authors on the delivery API: the list, one author, their articles, and former slugs.</summary>
[Collection(CatalogueApi.Name)]
public sealed class AuthorDeliveryTests(ApiFactory api)
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public Task The_list_is_sorted_by_name_and_counts_only_published_articles() =>
        CatalogueLists.AssertSortedWithLiveCountsAsync(api, "authors", async (db, live) =>
            (await db.Authors.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.Authors.Any(y => y.AuthorId == x.Id)))));

    [Fact]
    public async Task One_author_has_profile_links_and_a_count()
    {
        var author = await _client.GetJsonAsync("/v1/authors/cassie-b");

        Assert.Equal("Cassie B.", author.GetProperty("name").GetString());
        Assert.True(author.GetProperty("articleCount").GetInt32() >= 2);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, author.GetProperty("links").ValueKind);
    }

    [Theory]
    [InlineData("/v1/authors/nobody")]
    [InlineData("/v1/authors/nobody/articles")]
    public async Task Unknown_slugs_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/authors?limit=0", "limit")]
    public async Task Bad_parameters_are_400_problems_naming_them(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task An_empty_page_of_a_known_author_is_a_200_and_of_an_unknown_one_a_404_without_paging_links()
    {
        // The author is looked up only when the page comes back empty.
        var pastTheEnd = await _client.GetJsonAsync("/v1/authors/cassie-b/articles?page=500");
        var unknown = await _client.GetAsync("/v1/authors/nobody/articles?page=2");

        Assert.Empty(pastTheEnd.GetProperty("items").EnumerateArray());
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.False(unknown.Headers.Contains("Link"));
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
