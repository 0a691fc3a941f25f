using System.Text.Json;
using ContentApi.Search;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SearchEndpoint = ContentApi.Search.Search;

namespace ContentApi.Tests.Search;

/// <summary>Search over more matches than it ranks: its own database, since the generated articles change every answer.</summary>
public sealed class SearchBoundTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_common_word_ranks_only_its_newest_matches_and_says_the_total_is_not_exact()
    {
        // "government" is the generator's most frequent word: nearly every generated article holds it.
        await SyntheticArticles.GenerateAsync(api.Services, api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            SearchEndpoint.RankedMatches + 60, TextWriter.Null, CancellationToken.None);
        var newest = new List<string>();
        var url = "/v1/articles?q=government&sort=-publishedAt&limit=100";
        while (newest.Count < SearchEndpoint.RankedMatches)
        {
            var list = await _client.GetJsonAsync(url);
            newest.AddRange(list.GetProperty("items").Strings("id"));
            url = $"/v1/articles?q=government&sort=-publishedAt&limit=100&cursor={Uri.EscapeDataString(list.GetProperty("page").GetProperty("next").GetString()!)}";
        }
        newest = newest.Take(SearchEndpoint.RankedMatches).ToList();

        var walked = new List<(string Id, float Rank)>();
        url = "/v1/search?q=government&type=article&limit=75";
        while (true)
        {
            var page = await _client.GetJsonAsync(url);
            var info = page.GetProperty("page");
            Assert.Equal(SearchEndpoint.RankedMatches, info.GetProperty("total").GetInt32());
            Assert.False(info.GetProperty("totalIsExact").GetBoolean());
            walked.AddRange(page.GetProperty("items").EnumerateArray().Select(h => (h.GetProperty("id").GetString()!, h.GetProperty("rank").GetSingle())));
            if (info.GetProperty("next").GetString() is not { } next)
            {
                break;
            }
            url = $"/v1/search?q=government&type=article&limit=75&cursor={Uri.EscapeDataString(next)}";
        }

        // Every one of the newest matches once, none older, best rank first across the pages.
        Assert.Equal(newest.Order(), walked.Select(h => h.Id).Order());
        Assert.Equal(walked.Select(h => h.Rank).OrderDescending(), walked.Select(h => h.Rank));
        // A numbered page past the ranked matches is empty rather than an error.
        var beyond = await _client.GetJsonAsync($"/v1/search?q=government&type=article&limit=100&page={SearchEndpoint.RankedMatches / 100 + 1}");
        Assert.Equal(0, beyond.GetProperty("items").GetArrayLength());

        // Facets count the same ranked matches, and say that more articles match.
        var facets = (await _client.GetJsonAsync("/v1/search?q=government&type=article&facets=section:100")).GetProperty("facets");
        Assert.Equal(SearchEndpoint.RankedMatches, facets.GetProperty("counted").GetInt32());
        Assert.False(facets.GetProperty("isExact").GetBoolean());
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var newestIds = newest.Select(Guid.Parse).ToList();
        var sections = await db.Articles.Where(a => newestIds.Contains(a.Id)).GroupBy(a => a.Section.Slug)
            .Select(g => new { Slug = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Slug, g => g.Count);
        Assert.Equal(sections, facets.GetProperty("section").EnumerateArray()
            .ToDictionary(v => v.GetProperty("value").GetString()!, v => v.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task A_phrase_found_nowhere_in_a_full_window_says_the_total_is_not_exact()
    {
        // The generator's eight commonest words, each in nearly every generated article: more than the window holds
        // all of them, and in this order nowhere (the chance of these eight in a row is about one in a hundred thousand).
        const string words = "government policy energy market treaty alliance minister election";
        await SyntheticArticles.GenerateAsync(api.Services, api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            SearchEndpoint.PhraseWindow + 100, TextWriter.Null, CancellationToken.None);
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var holdingAll = await db.Articles.CountAsync(a => a.SearchVector.Matches(EF.Functions.WebSearchToTsQuery("english", words)));
        Assert.True(holdingAll > SearchEndpoint.PhraseWindow, $"only {holdingAll} articles hold all the words");

        var page = (await _client.GetJsonAsync($"/v1/search?q={Uri.EscapeDataString($"\"{words}\"")}&type=article")).GetProperty("page");

        Assert.Equal(0, page.GetProperty("total").GetInt32());
        Assert.False(page.GetProperty("totalIsExact").GetBoolean());
    }

    [Fact]
    public async Task Common_and_rare_words_are_read_each_their_own_way_with_the_answers_the_planner_gives()
    {
        await SyntheticArticles.GenerateAsync(api.Services, api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            SearchEndpoint.PhraseWindow + 100, TextWriter.Null, CancellationToken.None);
        await using (var connection = new Npgsql.NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE articles", connection);
            await analyze.ExecuteNonQueryAsync();
        }
        var frequencies = api.Services.GetRequiredService<WordFrequencies>();
        await frequencies.RefreshAsync(CancellationToken.None);

        // Both ways are taken: the generator's commonest words are in most articles, "bread" and "chartres" in one seed
        // each (the first a draft, which must not be found) and few or no generated ones.
        async Task<MatchReading> ReadingOf(string q, int wanted) => await frequencies.ChooseAsync(q, wanted, CancellationToken.None);
        Assert.Equal(MatchReading.NewestFirst, await ReadingOf("government", SearchEndpoint.RankedMatches));
        Assert.Equal(MatchReading.NewestFirst, await ReadingOf("\"government policy\"", SearchEndpoint.PhraseWindow));
        Assert.Equal(MatchReading.FromSearchIndex, await ReadingOf("bread", SearchEndpoint.RankedMatches));
        Assert.Equal(MatchReading.FromSearchIndex, await ReadingOf("\"the bread\"", SearchEndpoint.PhraseWindow));
        Assert.Equal(MatchReading.FromSearchIndex, await ReadingOf("chartres or bread", SearchEndpoint.RankedMatches));

        // A date filter that excludes nothing leaves the statement to the planner: the answers must not change.
        string[] queries = ["government", "bread", "\"government policy\"", "\"the bread\"", "government -policy",
            "chartres or bread", "chartres or government", "the", "\"policy energy market\" -zzqxjv"];
        foreach (var q in queries)
        {
            var url = $"/v1/search?q={Uri.EscapeDataString(q)}&type=article&limit=100&facets=section,topic,author,year";
            var own = await _client.GetJsonAsync(url);
            var planned = await _client.GetJsonAsync(url + "&publishedBefore=2999-01-01");
            foreach (var part in new[] { "items", "facets" })
            {
                Assert.True(JsonElement.DeepEquals(planned.GetProperty(part), own.GetProperty(part)), $"{q}: {part} differ");
            }
            Assert.Equal(planned.GetProperty("page").GetProperty("total").GetInt32(), own.GetProperty("page").GetProperty("total").GetInt32());
            Assert.Equal(planned.GetProperty("page").GetProperty("totalIsExact").GetBoolean(), own.GetProperty("page").GetProperty("totalIsExact").GetBoolean());
        }
        Assert.DoesNotContain("notes-on-a-draft-about-harvests",
            (await _client.GetJsonAsync("/v1/search?q=bread&type=article")).GetProperty("items").Strings("slug"));
        Assert.Contains("a-pilgrims-guide-to-chartres",
            (await _client.GetJsonAsync("/v1/search?q=chartres&type=article")).GetProperty("items").Strings("slug"));
    }
}
