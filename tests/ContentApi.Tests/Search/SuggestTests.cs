using System.Net;
using System.Text.Json;
using ContentApi.Content;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Search;

/// <summary>Search-box suggestions against what the database holds.</summary>
public sealed class SuggestTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.ClientWithKey(null);

    private async Task<List<(string Type, string Slug, string Label)>> SuggestAsync(string query)
    {
        var body = await _client.GetJsonAsync($"/v1/search/suggest?{query}");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("page").GetProperty("next").ValueKind);
        return body.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("type").GetString()!, i.GetProperty("slug").GetString()!, i.GetProperty("label").GetString()!)).ToList();
    }

    [Theory]
    [InlineData("ven")]
    [InlineData("RUS")]
    [InlineData(" the ")]
    [InlineData("doctrine")]
    public async Task Every_kind_suggests_the_names_that_contain_the_fragment_word_starts_first(string typed)
    {
        var fragment = typed.Trim().ToLowerInvariant();
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var topics = await db.Topics.Select(t => new { t.Slug, Label = t.Name }).ToListAsync();
        var authors = await db.Authors.Select(a => new { a.Slug, Label = a.Name }).ToListAsync();
        var works = await db.Works.Select(w => new { w.Slug, Label = w.Title }).ToListAsync();
        var articles = await db.Articles.Where(a => a.Status == ContentStatus.Published && a.PublishedAt <= DateTimeOffset.UtcNow)
            .OrderByDescending(a => a.PublishedAt).Select(a => new { a.Slug, Label = a.Title }).ToListAsync();
        bool WordStart(string label) => label.ToLowerInvariant().StartsWith(fragment, StringComparison.Ordinal)
                                        || label.ToLowerInvariant().Contains(" " + fragment, StringComparison.Ordinal);

        var suggested = await SuggestAsync($"q={Uri.EscapeDataString(typed)}&limit=10");

        foreach (var (type, all) in new[] { ("topic", topics), ("author", authors), ("work", works), ("article", articles) })
        {
            var matching = all.Where(x => x.Label.ToLowerInvariant().Contains(fragment, StringComparison.Ordinal)).ToList();
            var ofType = suggested.Where(s => s.Type == type).ToList();
            Assert.Equal(Math.Min(10, matching.Count), ofType.Count);
            Assert.All(ofType, s => Assert.Contains(matching, m => m.Slug == s.Slug && m.Label == s.Label));
            // Word starts first: no suggestion that merely contains the fragment comes before one that starts a word.
            var starts = ofType.Select(s => WordStart(s.Label)).ToList();
            Assert.Equal(starts.OrderByDescending(x => x), starts);
        }
        Assert.NotEmpty(suggested);
        Assert.Equal(suggested.Select(s => s.Type).Distinct(), new[] { "topic", "author", "work", "article" }.Where(t => suggested.Any(s => s.Type == t)));
    }

    [Fact]
    public async Task Drafts_are_never_suggested_and_like_wildcards_match_only_themselves()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("suggest", "content:write"));
        await editor.CreateDraftArticleAsync("zebrafish-draft", "Zebrafish 100% draft");

        Assert.Empty(await SuggestAsync("q=zebrafish"));
        Assert.Empty(await SuggestAsync("q=" + Uri.EscapeDataString("%%%")));
        Assert.Empty(await SuggestAsync("q=" + Uri.EscapeDataString("___")));
    }

    [Theory]
    [InlineData("", "q")]
    [InlineData("q=ve", "q")]
    [InlineData("q=%20%20ve%20%20", "q")]
    [InlineData("q=venezuela&limit=11", "limit")]
    [InlineData("q=venezuela&limit=0", "limit")]
    [InlineData("q=venezuela&sort=title", "sort")]
    public async Task Bad_input_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var problem = await (await _client.GetAsync($"/v1/search/suggest?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }
}
