using System.Text.Json;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>
/// A write evicts from the delivery cache what it made stale and nothing else: in a newsroom that edits all day, the
/// rest of the site stays cached.
/// </summary>
public sealed class PreciseEvictionTests(CachedApi api) : IClassFixture<CachedApi>
{
    private const string Edited = "venezuela-defies-the-us";
    private readonly HttpClient _public = api.ClientWithKey(null);

    [Fact]
    public async Task Editing_an_article_or_renaming_its_author_leaves_unrelated_articles_in_the_cache()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("precise-editor", "content:write"));
        var edited = await _public.GetJsonAsync($"/v1/articles/{Edited}");
        var unrelated = await UnrelatedArticleAsync(edited);
        var cachedUnrelated = await _public.GetStringAsync($"/v1/articles/{unrelated}");
        await _public.GetStringAsync("/v1/articles");
        // Changed behind the API's back: no change event, so only an eviction for some other reason would show it.
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"UPDATE articles SET dek = 'Changed behind the cache' WHERE slug = '{unrelated}'");
        Assert.Equal(cachedUnrelated, await _public.GetStringAsync($"/v1/articles/{unrelated}"));

        var article = await editor.ManagedUrlAsync("articles", Edited);
        var (_, articleETag) = await editor.GetWithETagAsync(article);
        Assert.True((await editor.PatchJsonAsync(article, new { title = "A precise correction" }, articleETag)).IsSuccessStatusCode);

        Assert.Contains("A precise correction", await _public.GetStringAsync($"/v1/articles/{Edited}"), StringComparison.Ordinal);
        Assert.Contains("A precise correction", await _public.GetStringAsync("/v1/articles"), StringComparison.Ordinal);
        Assert.Equal(cachedUnrelated, await _public.GetStringAsync($"/v1/articles/{unrelated}"));

        var author = await editor.ManagedUrlAsync("authors", edited.GetProperty("authors")[0].GetProperty("slug").GetString()!);
        var (_, authorETag) = await editor.GetWithETagAsync(author);
        Assert.True((await editor.PatchJsonAsync(author, new { name = "Renamed Author" }, authorETag)).IsSuccessStatusCode);

        Assert.Contains("Renamed Author", await _public.GetStringAsync($"/v1/articles/{Edited}"), StringComparison.Ordinal);
        Assert.Equal(cachedUnrelated, await _public.GetStringAsync($"/v1/articles/{unrelated}"));
    }

    /// <summary>A public article that shares no section, author, topic or work with <paramref name="article"/>.</summary>
    private async Task<string> UnrelatedArticleAsync(JsonElement article)
    {
        static HashSet<string> Embedded(JsonElement a) =>
        [
            "section:" + a.GetProperty("section").GetProperty("slug").GetString(),
            .. a.GetProperty("authors").EnumerateArray().Select(x => "author:" + x.GetProperty("slug").GetString()),
            .. a.GetProperty("topics").EnumerateArray().Select(x => "topic:" + x.GetProperty("slug").GetString()),
            .. a.GetProperty("relatedWorks").EnumerateArray().Select(x => "work:" + x.GetProperty("slug").GetString()),
        ];
        var mine = Embedded(article);
        foreach (var card in (await _public.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").EnumerateArray())
        {
            var slug = card.GetProperty("slug").GetString()!;
            if (slug != Edited && !Embedded(await _public.GetJsonAsync($"/v1/articles/{slug}")).Overlaps(mine))
            {
                return slug;
            }
        }
        throw new InvalidOperationException("The seeds have no article unrelated to the edited one.");
    }
}
