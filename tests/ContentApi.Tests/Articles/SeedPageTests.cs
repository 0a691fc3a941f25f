using System.Text.Json;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Articles;

/// <summary>
/// The page the project started from (the publisher's article page, seeded as venezuela-defies-the-us), rebuilt
/// from one API response: every fact the page shows must be in it.
/// </summary>
public sealed class SeedPageTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Slug = "venezuela-defies-the-us";

    private async Task<JsonElement> GetSeedArticleAsync() => await api.CreateClient().GetJsonAsync($"/v1/articles/{Slug}");

    [Fact]
    public async Task Headline_dek_section_byline_and_dates_are_those_of_the_page()
    {
        var article = await GetSeedArticleAsync();

        Assert.Equal(Slug, article.GetProperty("slug").GetString());
        Assert.Equal("Venezuela Defies the U.S.", article.GetProperty("title").GetString());
        Assert.Equal("Continues Alliance with Russia & China", article.GetProperty("dek").GetString());
        Assert.Equal("International Affairs", article.GetProperty("section").GetProperty("name").GetString());
        Assert.Equal("international-affairs", article.GetProperty("section").GetProperty("slug").GetString());
        var author = Assert.Single(article.GetProperty("authors").EnumerateArray());
        Assert.Equal("Cassie B.", author.GetProperty("name").GetString());
        Assert.Equal("cassie-b", author.GetProperty("slug").GetString());
        Assert.Equal(new DateOnly(2026, 2, 6), DateOnly.FromDateTime(article.GetProperty("publishedAt").GetDateTimeOffset().UtcDateTime));
        Assert.EndsWith("Z", article.GetProperty("publishedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_republication_note_names_outlet_date_and_original_title()
    {
        var original = (await GetSeedArticleAsync()).GetProperty("originalPublication");

        Assert.Equal("WWIII.NEWS", original.GetProperty("outlet").GetString());
        Assert.Equal("2026-02-05", original.GetProperty("publishedOn").GetString());
        Assert.Equal("Venezuela defies U.S., vows continued alliance with Russia and China", original.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, original.GetProperty("url").ValueKind);
    }

    [Fact]
    public async Task The_body_has_three_lead_paragraphs_two_subheadings_and_two_captioned_figures_in_page_order()
    {
        var article = await GetSeedArticleAsync();
        var blocks = article.GetProperty("body").GetProperty("blocks").EnumerateArray().ToList();
        var types = blocks.Select(b => b.GetProperty("type").GetString()).ToList();

        Assert.Equal(["paragraph", "paragraph", "paragraph", "heading"], types.Take(4));
        var headings = blocks.Where(b => b.GetProperty("type").GetString() == "heading").Select(b => b.GetProperty("text").GetString()).ToList();
        Assert.Equal(["A firm stance from Moscow", "Reassurances to Beijing"], headings);

        var figures = blocks.Where(b => b.GetProperty("type").GetString() == "figure").ToList();
        Assert.Equal(2, figures.Count);
        Assert.Equal("Velasquez from Moscow: 'No one dictates to us'", figures[0].GetProperty("caption").GetString());
        Assert.Equal("Caracas 'will not heed the arrangements of the US' regarding oil price, affirmed Ceballos in Beijing",
            figures[1].GetProperty("caption").GetString());
        foreach (var figure in figures)
        {
            Assert.StartsWith("https://", figure.GetProperty("url").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(figure.GetProperty("alt").GetString()));
        }
        // Moscow's figure sits under its subheading, Beijing's after the Beijing paragraphs.
        Assert.Equal("heading", types[types.IndexOf("figure") - 1]);
        Assert.True(types.LastIndexOf("figure") > types.LastIndexOf("heading") + 1);
        Assert.Equal(2, article.GetProperty("figures").GetArrayLength());

        var html = article.GetProperty("body").GetProperty("html").GetString()!;
        Assert.Contains("<h2 id=\"a-firm-stance-from-moscow\">A firm stance from Moscow</h2>", html, StringComparison.Ordinal);
        Assert.Equal(2, html.Split("<figure>").Length - 1);
        Assert.Contains("<figcaption>Velasquez from Moscow: &#39;No one dictates to us&#39;", html, StringComparison.Ordinal);
        var text = article.GetProperty("body").GetProperty("text").GetString()!;
        Assert.Contains("Reassurances to Beijing", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", text, StringComparison.Ordinal);
        Assert.True(article.GetProperty("wordCount").GetInt32() > 200);
        Assert.True(article.GetProperty("readingMinutes").GetInt32() >= 1);
    }

    [Fact]
    public async Task Topics_and_the_six_related_works_come_with_the_article_in_the_page_order()
    {
        var article = await GetSeedArticleAsync();

        var topics = article.GetProperty("topics").Strings("slug");
        Assert.Superset(new HashSet<string> { "international-affairs", "latin-america", "russia", "china", "sovereignty" }, topics.ToHashSet());

        var works = article.GetProperty("relatedWorks").EnumerateArray().ToList();
        Assert.Equal(
            [
                "The Return of the Muslim Threat",
                "War, Just War",
                "In the Wake of the Crusades",
                "The Universal Republic Blessed by the Conciliar Popes",
                "Vade Mecum on the Errors of Nazism",
                "Curious Affinities Between the Thinking of John Paul II and Marxism",
            ],
            works.Select(w => w.GetProperty("title").GetString()));
        Assert.All(works, w =>
        {
            Assert.Equal("book", w.GetProperty("kind").GetString());
            Assert.StartsWith("https://", w.GetProperty("coverUrl").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("https://", w.GetProperty("url").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal("Vade Mecum against Nazism", works[4].GetProperty("shortLabel").GetString());
        Assert.Equal("Curious Affinities of JPII and Marxism", works[5].GetProperty("shortLabel").GetString());
    }

    [Fact]
    public async Task Sharing_needs_a_canonical_url_a_title_and_an_excerpt()
    {
        var article = await GetSeedArticleAsync();

        Assert.Equal("https://www.example-publisher.org/articles/venezuela-defies-the-us", article.GetProperty("canonicalUrl").GetString());
        Assert.False(string.IsNullOrWhiteSpace(article.GetProperty("excerpt").GetString()));
        Assert.StartsWith("https://", article.GetProperty("image").GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authors_other_articles_are_in_the_article_list()
    {
        var client = api.CreateClient();
        var list = await client.GetJsonAsync("/v1/articles?limit=100");

        var byCassie = list.GetProperty("items").EnumerateArray()
            .Where(card => card.GetProperty("authors").Strings("slug").Contains("cassie-b"))
            .Select(card => card.GetProperty("slug").GetString())
            .ToList();
        Assert.Contains(Slug, byCassie);
        Assert.True(byCassie.Count >= 2, "the byline's 'other articles by' link has something to show");
    }
}
