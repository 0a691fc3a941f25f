using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Articles;

public sealed class RelatedArticlesTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Related_articles_share_topics_or_authors_rank_by_score_and_say_why()
    {
        var client = api.CreateClient();
        var source = await client.GetJsonAsync("/v1/articles/venezuela-defies-the-us");
        var sourceTopics = source.GetProperty("topics").Strings("slug");
        var published = (await client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug");

        var related = (await client.GetJsonAsync("/v1/articles/venezuela-defies-the-us/related?limit=20")).GetProperty("items").EnumerateArray().ToList();

        Assert.NotEmpty(related);
        var scores = related.Select(r => r.GetProperty("score").GetInt32()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        foreach (var item in related)
        {
            var slug = item.GetProperty("article").GetProperty("slug").GetString();
            Assert.NotEqual("venezuela-defies-the-us", slug);
            Assert.Contains(slug, published);
            var shared = item.GetProperty("sharedTopics").Strings("slug");
            var sharedAuthors = item.GetProperty("sharedAuthors").Strings("slug");
            Assert.True(shared.Count + sharedAuthors.Count > 0);
            Assert.All(shared, t => Assert.Contains(t, sourceTopics));
            Assert.Equal(shared.Count * 2 + sharedAuthors.Count, item.GetProperty("score").GetInt32());
        }
    }
}
