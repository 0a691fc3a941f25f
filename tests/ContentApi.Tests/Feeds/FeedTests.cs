using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Feeds;

/// <summary>The feeds, read back with real feed parsers: System.ServiceModel.Syndication for RSS and Atom.</summary>
public sealed class FeedTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string Seed = "venezuela-defies-the-us";
    private readonly HttpClient _client = api.CreateClient(new() { AllowAutoRedirect = false });

    private async Task<(SyndicationFeed Feed, HttpResponseMessage Response)> LoadAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        return (SyndicationFeed.Load(reader), response);
    }

    private async Task<JsonElement> ArticleAsync() => await _client.GetJsonAsync($"/v1/articles/{Seed}");

    [Fact]
    public async Task The_rss_feed_carries_every_field_of_the_seed_article()
    {
        var (feed, response) = await LoadAsync("/v1/feeds/articles.rss");
        var article = await ArticleAsync();

        Assert.Equal("application/rss+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Example Publisher", feed.Title.Text);
        var item = feed.Items.Single(i => i.Links.Any(l => l.Uri.ToString() == article.GetProperty("canonicalUrl").GetString()));
        Assert.Equal(article.GetProperty("title").GetString(), item.Title.Text);
        Assert.Equal($"urn:uuid:{article.GetProperty("id").GetGuid()}", item.Id);
        Assert.Equal(article.GetProperty("publishedAt").GetDateTimeOffset(), item.PublishDate);
        Assert.Equal(article.GetProperty("excerpt").GetString(), item.Summary.Text);
        var html = item.ElementExtensions.ReadElementExtensions<string>("encoded", "http://purl.org/rss/1.0/modules/content/").Single();
        Assert.Equal(article.GetProperty("body").GetProperty("html").GetString(), html);
        var creators = item.ElementExtensions.ReadElementExtensions<string>("creator", "http://purl.org/dc/elements/1.1/");
        Assert.Equal(article.GetProperty("authors").Strings("name"), creators);
        var categories = item.Categories.Select(c => c.Name).ToList();
        Assert.Contains(article.GetProperty("section").GetProperty("name").GetString(), categories);
        Assert.Superset(article.GetProperty("topics").Strings("name").ToHashSet(), categories.ToHashSet());
        var original = item.ElementExtensions.ReadElementExtensions<XElement>("originalPublication", "https://contentapi.dev/ns/feed").Single();
        Assert.Equal(article.GetProperty("originalPublication").GetProperty("outlet").GetString(), original.Attribute("outlet")?.Value);
        Assert.Equal("2026-02-05", original.Attribute("publishedOn")?.Value);
    }

    [Fact]
    public async Task The_atom_feed_carries_every_field_of_the_seed_article()
    {
        var (feed, response) = await LoadAsync("/v1/feeds/articles.atom");
        var article = await ArticleAsync();

        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(feed.Links, l => l.RelationshipType == "self" && l.Uri.AbsolutePath == "/v1/feeds/articles.atom");
        var entry = feed.Items.Single(i => i.Id == $"urn:uuid:{article.GetProperty("id").GetGuid()}");
        Assert.Equal(article.GetProperty("title").GetString(), entry.Title.Text);
        Assert.Equal(article.GetProperty("canonicalUrl").GetString(), entry.Links.Single(l => l.RelationshipType == "alternate").Uri.ToString());
        Assert.Equal(article.GetProperty("publishedAt").GetDateTimeOffset(), entry.PublishDate);
        Assert.Equal(article.GetProperty("updatedAt").GetDateTimeOffset().ToUnixTimeSeconds(), entry.LastUpdatedTime.ToUnixTimeSeconds());
        Assert.Equal(article.GetProperty("authors").Strings("name"), entry.Authors.Select(a => a.Name));
        Assert.All(entry.Authors, a => Assert.StartsWith("https://www.example-publisher.org/authors/", a.Uri, StringComparison.Ordinal));
        Assert.Contains(entry.Categories, c => c.Name == "russia" && c.Label == "Russia");
        Assert.Equal(article.GetProperty("excerpt").GetString(), entry.Summary.Text);
        var content = Assert.IsType<TextSyndicationContent>(entry.Content);
        Assert.Equal("html", content.Type);
        Assert.Equal(article.GetProperty("body").GetProperty("html").GetString(), content.Text);
        Assert.Single(entry.ElementExtensions.ReadElementExtensions<XElement>("originalPublication", "https://contentapi.dev/ns/feed"));
    }

    [Fact]
    public async Task The_json_feed_carries_every_field_of_the_seed_article()
    {
        var response = await _client.GetAsync("/v1/feeds/articles.json");
        Assert.Equal("application/feed+json", response.Content.Headers.ContentType?.MediaType);
        var feed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var article = await ArticleAsync();

        Assert.Equal("https://jsonfeed.org/version/1.1", feed.GetProperty("version").GetString());
        Assert.EndsWith("/v1/feeds/articles.json", feed.GetProperty("feed_url").GetString(), StringComparison.Ordinal);
        var item = feed.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetString() == article.GetProperty("id").GetGuid().ToString());
        Assert.Equal(article.GetProperty("title").GetString(), item.GetProperty("title").GetString());
        Assert.Equal(article.GetProperty("canonicalUrl").GetString(), item.GetProperty("url").GetString());
        Assert.Equal(article.GetProperty("body").GetProperty("html").GetString(), item.GetProperty("content_html").GetString());
        Assert.Equal(article.GetProperty("excerpt").GetString(), item.GetProperty("summary").GetString());
        Assert.Equal(article.GetProperty("publishedAt").GetDateTimeOffset(), item.GetProperty("date_published").GetDateTimeOffset());
        Assert.Equal(article.GetProperty("image").GetProperty("url").GetString(), item.GetProperty("image").GetString());
        Assert.Equal(article.GetProperty("authors").Strings("name"), item.GetProperty("authors").Strings("name"));
        Assert.Contains("Russia", item.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("WWIII.NEWS", item.GetProperty("_contentapi").GetProperty("original_publication").GetProperty("outlet").GetString());
    }

    [Fact]
    public async Task Text_stored_before_control_characters_were_refused_still_gives_feeds_that_parse()
    {
        // Rows written before the write API refused these characters, or by hand in the database.
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString,
            "UPDATE articles SET title = 'Bell ' || chr(7) || ' title', excerpt = 'Escape ' || chr(27), body_html = '<p>Form ' || chr(12) || ' feed</p>' WHERE slug = 'gregorian-chant-returns-to-the-parish'");
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, "UPDATE topics SET name = 'Music ' || chr(1) WHERE slug = 'music'");

        foreach (var url in new[] { "/v1/feeds/articles.rss", "/v1/feeds/articles.atom", "/v1/topics/music/feed.rss", "/v1/topics/music/feed.atom" })
        {
            var (feed, _) = await LoadAsync(url);
            Assert.Contains(feed.Items, i => i.Title.Text == "Bell \uFFFD title");
        }
    }

    [Theory]
    [InlineData("/v1/feeds/articles")]
    [InlineData("/v1/topics/russia/feed")]
    public async Task Self_links_and_atom_ids_come_from_the_configured_address_not_the_host_header(string path)
    {
        const string configured = "https://www.example-publisher.org/"; // Site:ApiBaseUrl in appsettings.json
        async Task<string> ReadAsync(string format)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"{path}.{format}");
            request.Headers.Host = "attacker.example";
            var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        var atom = XDocument.Parse(await ReadAsync("atom"));
        XNamespace ns = "http://www.w3.org/2005/Atom";
        var expected = $"{configured}{path.TrimStart('/')}.atom";
        Assert.Equal(expected, atom.Root!.Element(ns + "id")!.Value);
        Assert.Equal(expected, atom.Root.Elements(ns + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);

        var rss = XDocument.Parse(await ReadAsync("rss"));
        Assert.Equal($"{configured}{path.TrimStart('/')}.rss",
            rss.Root!.Element("channel")!.Elements(ns + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")!.Value);

        var json = JsonDocument.Parse(await ReadAsync("json")).RootElement;
        Assert.Equal($"{configured}{path.TrimStart('/')}.json", json.GetProperty("feed_url").GetString());
    }

    [Theory]
    [InlineData("/v1/sections/international-affairs/feed")]
    [InlineData("/v1/topics/russia/feed")]
    [InlineData("/v1/authors/cassie-b/feed")]
    public async Task Scoped_feeds_hold_only_that_scopes_live_articles_in_every_format(string path)
    {
        var slug = path.Split('/')[3];
        var listUrl = $"/v1/{path.Split('/')[2]}/{slug}/articles?limit=100";
        var expected = (await _client.GetJsonAsync(listUrl)).GetProperty("items").EnumerateArray()
            .Select(a => $"urn:uuid:{a.GetProperty("id").GetGuid()}").ToHashSet();
        Assert.NotEmpty(expected);

        var (rss, _) = await LoadAsync($"{path}.rss");
        var (atom, _) = await LoadAsync($"{path}.atom");
        var json = await _client.GetJsonAsync($"{path}.json");
        Assert.Equal(expected, rss.Items.Select(i => i.Id).ToHashSet());
        Assert.Equal(expected, atom.Items.Select(i => i.Id).ToHashSet());
        Assert.Equal(expected, json.GetProperty("items").EnumerateArray().Select(i => $"urn:uuid:{i.GetProperty("id").GetString()}").ToHashSet());
        Assert.Contains(slug, atom.Title.Text.ToLowerInvariant().Replace(' ', '-').Replace(".", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_feed_has_a_strong_etag_answers_304_and_refuses_unknown_scopes_and_formats()
    {
        var first = await _client.GetAsync("/v1/topics/china/feed.atom");
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/topics/china/feed.atom");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        Assert.False(first.Headers.ETag!.IsWeak);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(request)).StatusCode);
        Assert.NotNull(first.Content.Headers.LastModified);

        await (await _client.GetAsync("/v1/topics/no-such-topic/feed.rss")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _client.GetAsync("/v1/topics/china/feed.pdf")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _client.GetAsync("/v1/feeds/articles.xml")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Feeds_hold_the_newest_50_live_articles_and_no_drafts()
    {
        await SyntheticArticles.GenerateAsync(api.Services, api.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), 60, TextWriter.Null, CancellationToken.None);

        var (rss, _) = await LoadAsync("/v1/feeds/articles.rss");
        var newest = (await _client.GetJsonAsync("/v1/articles?limit=50")).GetProperty("items").EnumerateArray()
            .Select(a => $"urn:uuid:{a.GetProperty("id").GetGuid()}").ToList();
        Assert.Equal(50, rss.Items.Count());
        Assert.Equal(newest, rss.Items.Select(i => i.Id));
        var json = await _client.GetStringAsync("/v1/feeds/articles.json");
        Assert.DoesNotContain("notes-on-a-draft-about-harvests", json, StringComparison.Ordinal);
    }
}
