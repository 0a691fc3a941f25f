using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Sections;

/// <summary>Sections on the delivery API: the list, and the articles filed under one.</summary>
[Collection(CatalogueApi.Name)]
public sealed class SectionDeliveryTests(ApiFactory api)
{
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    [Fact]
    public Task The_list_is_sorted_by_name_and_counts_only_published_articles() =>
        CatalogueLists.AssertSortedWithLiveCountsAsync(api, "sections", async (db, live) =>
            (await db.Sections.ToListAsync()).Select(x => (x.Name, x.Slug, live.Count(a => a.SectionId == x.Id))));

    [Fact]
    public async Task A_sections_articles_are_filed_under_it()
    {
        var articles = await _client.GetJsonAsync("/v1/sections/international-affairs/articles?limit=100");

        Assert.NotEmpty(articles.GetProperty("items").EnumerateArray());
        Assert.All(articles.GetProperty("items").EnumerateArray(),
            card => Assert.Equal("international-affairs", card.GetProperty("section").GetProperty("slug").GetString()));
    }

    [Theory]
    [InlineData("/v1/sections/nowhere")]
    [InlineData("/v1/sections/nowhere/articles")]
    public async Task Unknown_slugs_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/v1/sections?sort=name", "sort")]
    public async Task Bad_parameters_are_400_problems_naming_them(string url, string parameter)
    {
        var problem = await (await _client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
