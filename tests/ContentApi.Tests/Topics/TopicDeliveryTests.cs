using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Topics;

/// <summary>Topics on the delivery API: the list, and the articles tagged with one.</summary>
[Collection(CatalogueApi.Name)]
public sealed class TopicDeliveryTests(ApiFactory api)
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public Task The_list_is_sorted_by_name_and_counts_only_published_articles() =>
        CatalogueLists.AssertSortedWithLiveCountsAsync(api, "topics", async (db, live) =>
            (await db.Topics.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.Topics.Any(t => t.TopicId == x.Id)))));

    [Fact]
    public async Task A_topics_articles_are_those_tagged_with_it()
    {
        var topic = await _client.GetJsonAsync("/v1/topics/russia");
        var articles = await _client.GetJsonAsync("/v1/topics/russia/articles?limit=100");

        Assert.Equal(topic.GetProperty("articleCount").GetInt32(), articles.GetProperty("page").GetProperty("total").GetInt32());
        Assert.All(articles.GetProperty("items").EnumerateArray(),
            card => Assert.Contains("russia", card.GetProperty("topics").Strings("slug")));
    }

    [Theory]
    [InlineData("/v1/topics/nothing")]
    [InlineData("/v1/topics/nothing/articles")]
    public async Task Unknown_slugs_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/topics?cursor=%%%", "cursor")]
    public async Task Bad_parameters_are_400_problems_naming_them(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
