using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Bench;

/// <summary>The API as bench/run.sh starts it: with the reference endpoints mapped.</summary>
public sealed class BenchApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?> { ["Bench:ReferenceEndpoints"] = "true" },
});

/// <summary>
/// The benchmark compares GET /v1/articles/{slug} with two references; the comparison only means something while
/// they answer the very same bytes, for every seeded article (authors, topics, works, figures, republication notes).
/// </summary>
public sealed class BenchReferencesTests(BenchApi bench) : IClassFixture<BenchApi>
{
    [Fact]
    public async Task Raw_and_ceiling_answer_the_same_bytes_and_etag_as_the_article_endpoint()
    {
        var client = bench.CreateClient();
        var slugs = (await client.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug");
        Assert.NotEmpty(slugs);

        foreach (var slug in slugs)
        {
            var article = await client.GetAsync($"/v1/articles/{slug}");
            var expected = await article.Content.ReadAsByteArrayAsync();
            foreach (var reference in new[] { "raw", "ceiling", "ceiling" }) // the ceiling's second answer comes from memory
            {
                var answer = await client.GetAsync($"/bench/{reference}/articles/{slug}");
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                var body = await answer.Content.ReadAsByteArrayAsync();
                Assert.True(expected.AsSpan().SequenceEqual(body), $"/bench/{reference}/articles/{slug} differs from /v1/articles/{slug}");
                Assert.Equal(article.Headers.ETag, answer.Headers.ETag);
            }
        }
    }

    [Fact]
    public async Task Drafts_are_not_served_by_the_raw_reference()
    {
        var response = await bench.CreateClient().GetAsync("/bench/raw/articles/notes-on-a-draft-about-harvests");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>Without Bench:ReferenceEndpoints the references do not exist.</summary>
public sealed class BenchReferencesOffTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/bench/raw/articles/venezuela-defies-the-us")]
    [InlineData("/bench/ceiling/articles/venezuela-defies-the-us")]
    public async Task References_are_not_mapped_by_default(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
