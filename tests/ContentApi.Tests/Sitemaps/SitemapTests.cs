using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Sitemaps;

/// <summary>
/// The sitemaps, checked against the protocol's rules (sitemaps.org 0.9, Google News): namespaces, at most 50,000
/// URLs and 50 MB a file, escaped absolute URLs, W3C dates; and against the delivery API's own canonical URLs.
/// </summary>
public sealed partial class SitemapTests(SitemapTests.SmallFilesApi api) : IClassFixture<SitemapTests.SmallFilesApi>
{
    /// <summary>Four articles per file, so that the seeds fill several.</summary>
    public sealed class SmallFilesApi() : ApiFactory(new ApiSettings { Configuration = new Dictionary<string, string?> { ["Sitemaps:UrlsPerFile"] = "4" } });

    private static readonly XNamespace Sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
    private static readonly XNamespace News = "http://www.google.com/schemas/sitemap-news/0.9";
    private readonly HttpClient _client = api.ClientWithKey(null);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex W3cDate();

    /// <summary>Loads a sitemap and checks what every file must be.</summary>
    private async Task<XDocument> LoadAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length < 50 * 1024 * 1024, $"{url} is {bytes.Length} bytes");
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)); // throws on anything unescaped
        Assert.Equal(Sitemap, document.Root!.Name.Namespace);
        Assert.True(document.Root.Elements().Count() <= 50_000, $"{url} holds more than 50,000 entries");
        foreach (var loc in document.Descendants(Sitemap + "loc"))
        {
            Assert.True(Uri.TryCreate(loc.Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", loc.Value);
            Assert.True(loc.Value.Length < 2048, loc.Value);
        }
        foreach (var date in document.Descendants(Sitemap + "lastmod").Concat(document.Descendants(News + "publication_date")))
        {
            Assert.Matches(W3cDate(), date.Value);
        }
        return document;
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private async Task<List<string>> SitemapsAsync() =>
        (await LoadAsync("/v1/sitemap.xml")).Root!.Elements(Sitemap + "sitemap").Select(s => s.Element(Sitemap + "loc")!.Value).ToList();

    /// <summary>The slugs of every live article, walked through the delivery API's list.</summary>
    private async Task<List<string>> LiveSlugsAsync()
    {
        var found = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetJsonAsync("/v1/articles?limit=100" + (cursor is null ? "" : $"&cursor={cursor}"));
            found.AddRange(page.GetProperty("items").Strings("slug"));
            cursor = page.GetProperty("page").GetProperty("next").GetString();
        } while (cursor is not null);
        return found;
    }

    [Fact]
    public async Task The_article_sitemaps_list_each_live_articles_canonical_url_once_in_files_of_the_configured_size()
    {
        var sitemaps = await SitemapsAsync();
        var articleFiles = sitemaps.Where(s => s.Contains("/v1/sitemaps/articles-")).ToList();
        var live = await LiveSlugsAsync();
        Assert.Equal((live.Count + 3) / 4, articleFiles.Count);

        var listed = new List<string>();
        foreach (var file in articleFiles)
        {
            var urls = (await LoadAsync(PathOf(file))).Root!.Elements(Sitemap + "url").ToList();
            Assert.InRange(urls.Count, 1, 4);
            Assert.All(urls, u => Assert.NotNull(u.Element(Sitemap + "lastmod")));
            listed.AddRange(urls.Select(u => u.Element(Sitemap + "loc")!.Value));
        }
        var canonical = new List<string>();
        foreach (var slug in live)
        {
            canonical.Add((await _client.GetJsonAsync($"/v1/articles/{slug}")).GetProperty("canonicalUrl").GetString()!);
        }
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(canonical.Where(u => new Uri(u).Host == "www.example-publisher.org").Order(), listed.Order());

        var past = await _client.GetAsync($"/v1/sitemaps/articles-{articleFiles.Count + 1}.xml");
        await past.AssertProblemAsync(HttpStatusCode.NotFound);
        // A number whose offset (number - 1) x UrlsPerFile passes the 32-bit range is past the end too, not a 500.
        await (await _client.GetAsync("/v1/sitemaps/articles-29364296.xml")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync($"/v1/sitemaps/articles-{int.MaxValue}.xml")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync("/v1/sitemaps/articles-0.xml")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("sections")]
    [InlineData("topics")]
    [InlineData("authors")]
    [InlineData("works")]
    public async Task The_catalogue_sitemaps_list_every_page_on_the_site_by_slug(string kind)
    {
        Assert.Contains($"https://www.example-publisher.org/v1/sitemaps/{kind}.xml", await SitemapsAsync());
        var listed = (await LoadAsync($"/v1/sitemaps/{kind}.xml")).Root!.Elements(Sitemap + "url")
            .Select(u => u.Element(Sitemap + "loc")!.Value).ToList();
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        var slugs = kind switch
        {
            "sections" => await db.Sections.Select(e => e.Slug).ToListAsync(),
            "topics" => await db.Topics.Select(e => e.Slug).ToListAsync(),
            "authors" => await db.Authors.Select(e => e.Slug).ToListAsync(),
            _ => await db.Works.Select(e => e.Slug).ToListAsync(),
        };
        Assert.NotEmpty(slugs);
        Assert.Equal(slugs.Select(s => $"https://www.example-publisher.org/{kind}/{s}").Order(), listed.Order());
    }

    [Fact]
    public async Task The_news_sitemap_holds_the_last_two_days_articles_with_their_titles_escaped()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("sitemap-news", "content:write"));
        const string title = "Oil & gas: \"prices\" <rise> 'again'";
        var created = await editor.CreateDraftArticleAsync("news-sitemap-fresh", title);
        Assert.True((await editor.PostAsync($"/v1/manage/articles/{created}/publish", null)).IsSuccessStatusCode);

        var news = await LoadAsync("/v1/sitemaps/news.xml");
        Assert.Equal(News, news.Root!.GetNamespaceOfPrefix("news"));
        var urls = news.Root.Elements(Sitemap + "url").ToList();
        var fresh = Assert.Single(urls, u => u.Element(Sitemap + "loc")!.Value == "https://www.example-publisher.org/articles/news-sitemap-fresh");
        var item = fresh.Element(News + "news")!;
        Assert.Equal(title, item.Element(News + "title")!.Value);
        Assert.Equal("Example Publisher", item.Element(News + "publication")!.Element(News + "name")!.Value);
        Assert.Equal("en", item.Element(News + "publication")!.Element(News + "language")!.Value);
        var published = DateTimeOffset.Parse(item.Element(News + "publication_date")!.Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(published, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        // Every entry is from the last two days.
        Assert.All(urls, u => Assert.True(DateTimeOffset.Parse(u.Element(News + "news")!.Element(News + "publication_date")!.Value,
            System.Globalization.CultureInfo.InvariantCulture) >= DateTimeOffset.UtcNow.AddDays(-2)));
    }

    [Fact]
    public async Task A_sitemap_changed_by_an_edit_is_not_answered_304_to_if_modified_since()
    {
        var before = await _client.GetAsync("/v1/sitemap.xml");
        var editor = api.ClientWithKey(await api.CreateKeyAsync("sitemap-rename", "content:write"));
        var topic = await editor.ManagedUrlAsync("topics", "energy");
        var (_, etag) = await editor.GetWithETagAsync(topic);
        Assert.True((await editor.PatchJsonAsync(topic, new { name = "Energy and power" }, etag)).IsSuccessStatusCode);

        // The index's topics lastmod moved; a client that revalidates by date alone must get the new index.
        var again = new HttpRequestMessage(HttpMethod.Get, "/v1/sitemap.xml");
        again.Headers.IfModifiedSince = before.Content.Headers.LastModified ?? DateTimeOffset.UtcNow;
        var after = await _client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
    }

    [Fact]
    public async Task A_sitemap_answers_304_to_its_own_etag()
    {
        var first = await _client.GetAsync("/v1/sitemaps/sections.xml");
        var etag = first.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, "/v1/sitemaps/sections.xml");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(again)).StatusCode);
    }
}
