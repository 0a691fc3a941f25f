using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Works;

/// <summary>Works on the delivery API: filters, labels and unknown slugs.</summary>
[Collection(CatalogueApi.Name)]
public sealed class WorkDeliveryTests(ApiFactory api)
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

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

    [Theory]
    [InlineData("/v1/works/no-such-work")]
    public async Task Unknown_slugs_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/works?kind=vinyl", "kind")]
    [InlineData("/v1/works?topic=A", "topic")]
    public async Task Bad_parameters_are_400_problems_naming_them(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
