using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Feeds;

/// <summary>One article as every feed format carries it.</summary>
public sealed record FeedEntry(Guid Id, string Title, string? Summary, string Html, string Url, DateTimeOffset Published,
    DateTimeOffset Updated, IReadOnlyList<(string Name, string Slug)> Authors, IReadOnlyList<(string Name, string Slug)> Categories,
    OriginalPublicationResponse? Original, string? ImageUrl);

/// <summary>What a feed is about: its title and description, its page on the site and its own address.</summary>
public sealed record FeedInfo(string Title, string Description, string HomeUrl, string SelfUrl);

/// <summary>
/// The newest 50 live articles of a scope, written as RSS 2.0, Atom 1.0 or JSON Feed 1.1 with the same facts:
/// authors, categories (section and topics), canonical link, original publication, summary and the full
/// sanitized HTML.
/// </summary>
public static class FeedDocument
{
    public const int Size = 50;
    public static readonly string[] Formats = ["rss", "atom", "json"];

    /// <summary>Where the original publication goes in RSS and Atom, which have no element for all of it.</summary>
    public static readonly XNamespace ContentApiNs = "https://contentapi.dev/ns/feed";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Content = "http://purl.org/rss/1.0/modules/content/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    public static string ContentType(string format) => format switch
    {
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    // The entries of the given articles in their order, with their authors and categories as arrays: one row per
    // article in one round trip (see ArticleCards), where EF Core's split query took three and built 50 objects twice.
    private const string EntriesSql = """
        SELECT a.id, a.slug, a.title, a.excerpt, a.body_html, a.canonical_url, coalesce(a.published_at, a.updated_at), a.updated_at,
               au.names, au.slugs, s.name, s.slug, t.names, t.slugs, a.original_publication_outlet, a.original_publication_url,
               a.original_publication_published_on, a.original_publication_title, a.image_url
        FROM unnest(@ids) WITH ORDINALITY AS ranked (id, position)
        JOIN articles a ON a.id = ranked.id
        JOIN sections s ON s.id = a.section_id
        CROSS JOIN LATERAL (
            SELECT array_agg(x.name ORDER BY l.position) AS names, array_agg(x.slug ORDER BY l.position) AS slugs
            FROM article_authors l, LATERAL (SELECT * FROM authors WHERE id = l.author_id OFFSET 0) x WHERE l.article_id = a.id) au
        CROSS JOIN LATERAL (
            SELECT array_agg(x.name ORDER BY x.name) AS names, array_agg(x.slug ORDER BY x.name) AS slugs
            FROM article_topics l, LATERAL (SELECT * FROM topics WHERE id = l.topic_id OFFSET 0) x WHERE l.article_id = a.id) t
        ORDER BY ranked.position
        """;

    /// <summary>The newest <see cref="Size"/> of <paramref name="articles"/>: their ids first, then their entries.</summary>
    public static async Task<List<FeedEntry>> EntriesAsync(IQueryable<Article> articles, DeliveryQueries queries, SiteOptions site, CancellationToken ct)
    {
        var ids = await articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(Size).Select(a => a.Id).ToListAsync(ct);
        var entries = new List<FeedEntry>(ids.Count);
        if (ids.Count == 0)
        {
            return entries;
        }
        await using var command = queries.CreateCommand(EntriesSql);
        command.Parameters.Add(new NpgsqlParameter("ids", ids.ToArray()));
        await using var r = await command.ExecuteReaderAsync(ct);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        string[] Texts(int i) => r.IsDBNull(i) ? [] : r.GetFieldValue<string[]>(i);
        while (await r.ReadAsync(ct))
        {
            var (authorNames, authorSlugs, topicNames, topicSlugs) = (Texts(8), Texts(9), Texts(12), Texts(13));
            var original = Text(14) is { } outlet
                ? new OriginalPublicationResponse(outlet, Text(15), r.IsDBNull(16) ? null : r.GetFieldValue<DateOnly>(16), Text(17))
                : null;
            entries.Add(new FeedEntry(r.GetGuid(0), r.GetString(2), Text(3), r.GetString(4), Text(5) ?? site.ArticleUrl(r.GetString(1)),
                r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7),
                authorNames.Zip(authorSlugs).ToList(),
                // A topic may share its section's name ("International Affairs"): one category is enough.
                topicNames.Zip(topicSlugs).Prepend((r.GetString(10), r.GetString(11))).DistinctBy(c => c.Item1).ToList(),
                original, Text(18)));
        }
        return entries;
    }

    public static byte[] Write(string format, FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site) => format switch
    {
        "rss" => Xml(Rss(info, entries, site)),
        "atom" => Xml(AtomFeed(info, entries, site)),
        _ => JsonFeed(info, entries, site),
    };

    private static XDocument Rss(FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site) => new(
        new XElement("rss", new XAttribute("version", "2.0"),
            new XAttribute(XNamespace.Xmlns + "atom", Atom), new XAttribute(XNamespace.Xmlns + "content", Content),
            new XAttribute(XNamespace.Xmlns + "dc", Dc), new XAttribute(XNamespace.Xmlns + "contentapi", ContentApiNs),
            new XElement("channel",
                new XElement("title", info.Title),
                new XElement("link", info.HomeUrl),
                new XElement("description", info.Description),
                new XElement(Atom + "link", new XAttribute("href", info.SelfUrl), new XAttribute("rel", "self"), new XAttribute("type", "application/rss+xml")),
                new XElement("language", "en"),
                new XElement("lastBuildDate", Rfc822(LastUpdate(entries))),
                entries.Select(e => new XElement("item",
                    new XElement("title", e.Title),
                    new XElement("link", e.Url),
                    new XElement("guid", new XAttribute("isPermaLink", "false"), $"urn:uuid:{e.Id}"),
                    new XElement("pubDate", Rfc822(e.Published)),
                    e.Authors.Select(a => new XElement(Dc + "creator", a.Name)),
                    e.Categories.Select(c => new XElement("category", new XAttribute("domain", site.BaseUrl), c.Name)),
                    new XElement("description", e.Summary ?? ""),
                    new XElement(Content + "encoded", new XCData(e.Html)),
                    e.Original?.Url is { } originalUrl ? new XElement("source", new XAttribute("url", originalUrl), e.Original.Outlet) : null,
                    Original(e.Original))))));

    private static XDocument AtomFeed(FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site) => new(
        new XElement(Atom + "feed", new XAttribute(XNamespace.Xmlns + "contentapi", ContentApiNs),
            new XElement(Atom + "id", info.SelfUrl),
            new XElement(Atom + "title", info.Title),
            new XElement(Atom + "subtitle", info.Description),
            new XElement(Atom + "updated", Rfc3339(LastUpdate(entries))),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("type", "application/atom+xml"), new XAttribute("href", info.SelfUrl)),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", info.HomeUrl)),
            new XElement(Atom + "author", new XElement(Atom + "name", site.Name)),
            entries.Select(e => new XElement(Atom + "entry",
                new XElement(Atom + "id", $"urn:uuid:{e.Id}"),
                new XElement(Atom + "title", e.Title),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", e.Url)),
                e.Original?.Url is { } originalUrl
                    ? new XElement(Atom + "link", new XAttribute("rel", "via"), new XAttribute("href", originalUrl), new XAttribute("title", e.Original.Outlet))
                    : null,
                new XElement(Atom + "published", Rfc3339(e.Published)),
                new XElement(Atom + "updated", Rfc3339(e.Updated)),
                e.Authors.Select(a => new XElement(Atom + "author", new XElement(Atom + "name", a.Name), new XElement(Atom + "uri", site.PageUrl("authors", a.Slug)))),
                e.Categories.Select(c => new XElement(Atom + "category", new XAttribute("term", c.Slug), new XAttribute("label", c.Name))),
                new XElement(Atom + "summary", new XAttribute("type", "text"), e.Summary ?? ""),
                new XElement(Atom + "content", new XAttribute("type", "html"), e.Html),
                Original(e.Original)))));

    private static byte[] JsonFeed(FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site)
    {
        var feed = new JsonObject
        {
            ["version"] = "https://jsonfeed.org/version/1.1",
            ["title"] = info.Title,
            ["description"] = info.Description,
            ["home_page_url"] = info.HomeUrl,
            ["feed_url"] = info.SelfUrl,
            ["language"] = "en",
            ["authors"] = new JsonArray(new JsonObject { ["name"] = site.Name, ["url"] = site.BaseUrl.ToString() }),
            ["items"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject
            {
                ["id"] = e.Id.ToString(),
                ["url"] = e.Url,
                ["title"] = e.Title,
                ["summary"] = e.Summary,
                ["content_html"] = e.Html,
                ["image"] = e.ImageUrl,
                ["date_published"] = Rfc3339(e.Published),
                ["date_modified"] = Rfc3339(e.Updated),
                ["authors"] = new JsonArray(e.Authors.Select(a => (JsonNode)new JsonObject { ["name"] = a.Name, ["url"] = site.PageUrl("authors", a.Slug) }).ToArray()),
                ["tags"] = new JsonArray(e.Categories.Select(c => (JsonNode)JsonValue.Create(c.Name)!).ToArray()),
                // JSON Feed's extension rule: a custom object whose name starts with an underscore.
                ["_contentapi"] = e.Original is null ? null : new JsonObject
                {
                    ["original_publication"] = JsonSerializer.SerializeToNode(e.Original, ApiJson.Options),
                },
            }).ToArray()),
        };
        return JsonSerializer.SerializeToUtf8Bytes(feed, ApiJson.Options);
    }

    private static XElement? Original(OriginalPublicationResponse? original) => original is null ? null :
        new XElement(ContentApiNs + "originalPublication",
            new XAttribute("outlet", original.Outlet),
            original.Url is null ? null : new XAttribute("url", original.Url),
            original.PublishedOn is null ? null : new XAttribute("publishedOn", original.PublishedOn.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            original.Title is null ? null : new XAttribute("title", original.Title));

    private static DateTimeOffset LastUpdate(IReadOnlyList<FeedEntry> entries) =>
        entries.Count == 0 ? DateTimeOffset.UnixEpoch : entries.Max(e => e.Updated);

    private static string Rfc822(DateTimeOffset time) => time.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Xml(XDocument document)
    {
        // The write API and the seed import refuse characters XML cannot carry, but rows stored before they did (or
        // by hand) may still hold some: they are written as U+FFFD rather than failing the whole feed.
        foreach (var text in document.DescendantNodes().OfType<XText>())
        {
            text.Value = ValidationRules.ReplaceUnstorable(text.Value);
        }
        foreach (var attribute in document.Descendants().Attributes())
        {
            attribute.Value = ValidationRules.ReplaceUnstorable(attribute.Value);
        }
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            document.Save(writer);
        }
        return stream.ToArray();
    }
}
