using System.Net;
using ContentApi.Articles;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task Source_and_ranking_and_cards_come_in_one_round_trip()
    {
        var client = api.CreateClient();
        await client.GetJsonAsync("/v1/articles/venezuela-defies-the-us/related"); // opens the pool

        using var counter = new DatabaseCommandCounter(api.ConnectionString);
        var related = await client.GetJsonAsync("/v1/articles/venezuela-defies-the-us/related?limit=20");

        Assert.NotEmpty(related.GetProperty("items").EnumerateArray());
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task An_unknown_slug_is_a_404_problem()
    {
        var response = await api.CreateClient().GetAsync("/v1/articles/no-such-article/related");

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Only_the_newest_articles_of_each_shared_topic_and_author_are_candidates()
    {
        // An old article sharing both topics and the author would score highest if every article were scored; it is
        // older than the newest CandidatesPerLink of each topic and of the author, so it is not considered.
        var per = ListRelatedArticles.CandidatesPerLink;
        var editor = api.ClientWithKey(await api.CreateKeyAsync("related-editor", "content:write"));
        Guid section;
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            section = await db.Sections.Select(s => s.Id).FirstAsync();
        }
        async Task<Guid> CreateAsync(string resource, string slug) =>
            (await (await editor.PostJsonAsync($"/v1/manage/{resource}", new { slug, name = slug })).ReadJsonAsync()).GetProperty("id").GetGuid();
        var first = await CreateAsync("topics", "bound-first");
        var second = await CreateAsync("topics", "bound-second");
        var author = await CreateAsync("authors", "bound-author");
        async Task PublishAsync(string slug, params Guid[] topics)
        {
            var created = await (await editor.PostJsonAsync("/v1/manage/articles", new
            {
                slug, title = slug, sectionId = section, authorIds = new[] { author }, topicIds = topics, body = "Text.",
            })).ReadJsonAsync();
            var publish = await editor.PostAsync($"/v1/manage/articles/{created.GetProperty("id").GetGuid()}/publish", null);
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        await PublishAsync("bound-old", first, second);
        for (var i = 0; i < per; i++)
        {
            await PublishAsync($"bound-first-{i}", first);
        }
        for (var i = 0; i < per; i++)
        {
            await PublishAsync($"bound-second-{i}", second);
        }
        await PublishAsync("bound-source", first, second);

        var related = (await api.CreateClient().GetJsonAsync($"/v1/articles/bound-source/related?limit={RelatedArticlesValidator.MaxLimit}"))
            .GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(RelatedArticlesValidator.MaxLimit, related.Count);
        Assert.DoesNotContain("bound-old", related.Select(r => r.GetProperty("article").GetProperty("slug").GetString()));
        Assert.All(related, r => Assert.Equal(2 + 1, r.GetProperty("score").GetInt32())); // one topic and the author
        // The newest of each topic's list is there.
        Assert.Contains($"bound-second-{per - 1}", related.Select(r => r.GetProperty("article").GetProperty("slug").GetString()));
    }

    [Fact]
    public async Task A_limit_over_20_is_a_400_problem_naming_limit()
    {
        var problem = await (await api.CreateClient().GetAsync("/v1/articles/venezuela-defies-the-us/related?limit=21")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }
}
