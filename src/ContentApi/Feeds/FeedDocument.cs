using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using ContentApi.Articles;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.IO;
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
    public const string ContentApiNs = "https://contentapi.dev/ns/feed";
    private const string Atom = "http://www.w3.org/2005/Atom";
    private const string Content = "http://purl.org/rss/1.0/modules/content/";
    private const string Dc = "http://purl.org/dc/elements/1.1/";

    public static string ContentType(string format) => format switch
    {
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        _ => "application/feed+json; charset=utf-8",
    };

    // The entries of the given articles in their order, one row per article in one round trip (EF Core's split query
    // took three and built 50 objects twice). Authors and topics come as ids, named from CardNames as the cards are:
    // looked up here, their names were some 250 primary-key lookups per feed.
    private const string EntriesSql = $"""
        -- {DeliveryStatementTimeout.GenericPlanTag}
        SELECT a.id, a.slug, a.title, a.excerpt, a.body_html, a.canonical_url, coalesce(a.published_at, a.updated_at), a.updated_at,
               a.author_ids, s.name, s.slug, a.topic_ids, a.original_publication_outlet, a.original_publication_url,
               a.original_publication_published_on, a.original_publication_title, a.image_url, (SELECT stamp FROM card_names_stamp)
        FROM unnest(@ids) WITH ORDINALITY AS ranked (id, position)
        JOIN articles a ON a.id = ranked.id
        JOIN sections s ON s.id = a.section_id
        ORDER BY ranked.position
        """;

    /// <summary>The newest <see cref="Size"/> of <paramref name="articles"/>: their ids first, then their entries.</summary>
    public static async Task<List<FeedEntry>> EntriesAsync(IQueryable<Article> articles, DeliveryQueries queries, SiteOptions site, CancellationToken ct)
    {
        var ids = await articles.OrderByDescending(a => a.PublishedAt).ThenByDescending(a => a.Id).Take(Size).Select(a => a.Id).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return [];
        }
        await using var command = queries.CreateCommand(EntriesSql);
        command.Parameters.Add(new NpgsqlParameter("ids", ids.ToArray()));
        await using var r = await command.ExecuteReaderAsync(ct);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        // Each entry is read with its authors and topics as ids, named once all are read.
        var rows = new List<(FeedEntry Entry, Guid[] Authors, (string Name, string Slug) Section, Guid[] Topics)>(ids.Count);
        var stamp = 0L;
        while (await r.ReadAsync(ct))
        {
            stamp = r.GetInt64(17);
            var original = Text(12) is { } outlet
                ? new OriginalPublicationResponse(outlet, Text(13), r.IsDBNull(14) ? null : r.GetFieldValue<DateOnly>(14), Text(15))
                : null;
            rows.Add((new FeedEntry(r.GetGuid(0), r.GetString(2), Text(3), r.GetString(4), Text(5) ?? site.ArticleUrl(r.GetString(1)),
                r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), [], [], original, Text(16)),
                r.GetFieldValue<Guid[]>(8), (r.GetString(9), r.GetString(10)), r.GetFieldValue<Guid[]>(11)));
        }
        var named = await queries.Names.AtLeastAsync(stamp, ct);
        return rows.Select(row => row.Entry with
            {
                Authors = named.AuthorsOf(row.Authors).Select(a => (a.Name, a.Slug)).ToList(),
                // A topic may share its section's name ("International Affairs"): one category is enough.
                Categories = named.TopicsOf(row.Topics).Select(t => (t.Name, t.Slug)).Prepend(row.Section).DistinctBy(c => c.Name).ToList(),
            })
            .ToList();
    }

    // A feed is a few hundred kilobytes. Built in a MemoryStream, each request allocated several arrays on the large
    // object heap (the stream's growth, then its copy), which only a full collection frees: under feed load the API ran
    // 5-6 of them a second. Pooled blocks, returned once the answer is sent, allocate nothing.
    internal static readonly RecyclableMemoryStreamManager Buffers = new(new RecyclableMemoryStreamManager.Options
    {
        MaximumSmallPoolFreeBytes = 16 * 1024 * 1024,
        MaximumLargePoolFreeBytes = 16 * 1024 * 1024,
    });

    /// <summary>The feed in <paramref name="format"/>, in a pooled stream: dispose of it once it is sent.</summary>
    public static RecyclableMemoryStream Write(string format, FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site)
    {
        var stream = Buffers.GetStream();
        switch (format)
        {
            case "rss":
                Xml(stream, w => Rss(w, info, entries, site));
                break;
            case "atom":
                Xml(stream, w => AtomFeed(w, info, entries, site));
                break;
            default:
                JsonFeed(stream, info, entries, site);
                break;
        }
        return stream;
    }

    // RSS and Atom are written straight to the output, element by element: building them as an XDocument first took
    // several times as long as the JSON feed.
    private static void Rss(XmlWriter w, FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site)
    {
        w.WriteStartElement("rss");
        w.WriteAttributeString("version", "2.0");
        w.WriteAttributeString("xmlns", "atom", null, Atom);
        w.WriteAttributeString("xmlns", "content", null, Content);
        w.WriteAttributeString("xmlns", "dc", null, Dc);
        w.WriteAttributeString("xmlns", "contentapi", null, ContentApiNs);
        w.WriteStartElement("channel");
        Element(w, "title", info.Title);
        Element(w, "link", info.HomeUrl);
        Element(w, "description", info.Description);
        w.WriteStartElement("link", Atom);
        Attributes(w, ("href", info.SelfUrl), ("rel", "self"), ("type", "application/rss+xml"));
        w.WriteEndElement();
        Element(w, "language", "en");
        Element(w, "lastBuildDate", Rfc822(LastUpdate(entries)));
        var domain = site.BaseUrl.ToString();
        foreach (var e in entries)
        {
            w.WriteStartElement("item");
            Element(w, "title", e.Title);
            Element(w, "link", e.Url);
            w.WriteStartElement("guid");
            Attributes(w, ("isPermaLink", "false"));
            w.WriteString($"urn:uuid:{e.Id}");
            w.WriteEndElement();
            Element(w, "pubDate", Rfc822(e.Published));
            foreach (var author in e.Authors)
            {
                Element(w, "creator", author.Name, Dc);
            }
            foreach (var category in e.Categories)
            {
                w.WriteStartElement("category");
                Attributes(w, ("domain", domain));
                w.WriteString(Clean(category.Name));
                w.WriteEndElement();
            }
            Element(w, "description", e.Summary ?? "");
            w.WriteStartElement("encoded", Content);
            w.WriteCData(Clean(e.Html));
            w.WriteEndElement();
            if (e.Original?.Url is { } originalUrl)
            {
                w.WriteStartElement("source");
                Attributes(w, ("url", originalUrl));
                w.WriteString(Clean(e.Original.Outlet));
                w.WriteEndElement();
            }
            Original(w, e.Original);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void AtomFeed(XmlWriter w, FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site)
    {
        w.WriteStartElement("feed", Atom);
        w.WriteAttributeString("xmlns", "contentapi", null, ContentApiNs);
        Element(w, "id", info.SelfUrl, Atom);
        Element(w, "title", info.Title, Atom);
        Element(w, "subtitle", info.Description, Atom);
        Element(w, "updated", Rfc3339(LastUpdate(entries)), Atom);
        AtomLink(w, ("rel", "self"), ("type", "application/atom+xml"), ("href", info.SelfUrl));
        AtomLink(w, ("rel", "alternate"), ("type", "text/html"), ("href", info.HomeUrl));
        w.WriteStartElement("author", Atom);
        Element(w, "name", site.Name, Atom);
        w.WriteEndElement();
        foreach (var e in entries)
        {
            w.WriteStartElement("entry", Atom);
            Element(w, "id", $"urn:uuid:{e.Id}", Atom);
            Element(w, "title", e.Title, Atom);
            AtomLink(w, ("rel", "alternate"), ("type", "text/html"), ("href", e.Url));
            if (e.Original?.Url is { } originalUrl)
            {
                AtomLink(w, ("rel", "via"), ("href", originalUrl), ("title", e.Original.Outlet));
            }
            Element(w, "published", Rfc3339(e.Published), Atom);
            Element(w, "updated", Rfc3339(e.Updated), Atom);
            foreach (var author in e.Authors)
            {
                w.WriteStartElement("author", Atom);
                Element(w, "name", author.Name, Atom);
                Element(w, "uri", site.PageUrl("authors", author.Slug), Atom);
                w.WriteEndElement();
            }
            foreach (var category in e.Categories)
            {
                w.WriteStartElement("category", Atom);
                Attributes(w, ("term", category.Slug), ("label", category.Name));
                w.WriteEndElement();
            }
            w.WriteStartElement("summary", Atom);
            Attributes(w, ("type", "text"));
            w.WriteString(Clean(e.Summary ?? ""));
            w.WriteEndElement();
            w.WriteStartElement("content", Atom);
            Attributes(w, ("type", "html"));
            w.WriteString(Clean(e.Html));
            w.WriteEndElement();
            Original(w, e.Original);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void AtomLink(XmlWriter w, params (string Name, string? Value)[] attributes)
    {
        w.WriteStartElement("link", Atom);
        Attributes(w, attributes);
        w.WriteEndElement();
    }

    // Written member by member, as the XML formats are, with no JsonObject tree of 50 articles built first.
    private static void JsonFeed(RecyclableMemoryStream stream, FeedInfo info, IReadOnlyList<FeedEntry> entries, SiteOptions site)
    {
        using var w = new Utf8JsonWriter((IBufferWriter<byte>)stream, new JsonWriterOptions { Encoder = ApiJson.Options.Encoder });
        w.WriteStartObject();
        w.WriteString("version", "https://jsonfeed.org/version/1.1");
        w.WriteString("title", info.Title);
        w.WriteString("description", info.Description);
        w.WriteString("home_page_url", info.HomeUrl);
        w.WriteString("feed_url", info.SelfUrl);
        w.WriteString("language", "en");
        w.WriteStartArray("authors");
        Person(w, site.Name, site.BaseUrl.ToString());
        w.WriteEndArray();
        w.WriteStartArray("items");
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id.ToString());
            w.WriteString("url", e.Url);
            w.WriteString("title", e.Title);
            w.WriteString("summary", e.Summary);
            w.WriteString("content_html", e.Html);
            w.WriteString("image", e.ImageUrl);
            w.WriteString("date_published", Rfc3339(e.Published));
            w.WriteString("date_modified", Rfc3339(e.Updated));
            w.WriteStartArray("authors");
            foreach (var author in e.Authors)
            {
                Person(w, author.Name, site.PageUrl("authors", author.Slug));
            }
            w.WriteEndArray();
            w.WriteStartArray("tags");
            foreach (var category in e.Categories)
            {
                w.WriteStringValue(category.Name);
            }
            w.WriteEndArray();
            // JSON Feed's extension rule: a custom object whose name starts with an underscore.
            w.WritePropertyName("_contentapi");
            if (e.Original is null)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteStartObject();
                w.WritePropertyName("original_publication");
                JsonSerializer.Serialize(w, e.Original, ApiJson.Options);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Person(Utf8JsonWriter w, string name, string url)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("url", url);
        w.WriteEndObject();
    }

    private static void Original(XmlWriter w, OriginalPublicationResponse? original)
    {
        if (original is null)
        {
            return;
        }
        w.WriteStartElement("contentapi", "originalPublication", ContentApiNs);
        Attributes(w, ("outlet", original.Outlet), ("url", original.Url),
            ("publishedOn", original.PublishedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("title", original.Title));
        w.WriteEndElement();
    }

    private static void Element(XmlWriter w, string name, string value, string? ns = null)
    {
        w.WriteStartElement(name, ns);
        w.WriteString(Clean(value));
        w.WriteEndElement();
    }

    /// <summary>Writes the attributes that have a value.</summary>
    private static void Attributes(XmlWriter w, params (string Name, string? Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                w.WriteAttributeString(name, Clean(value));
            }
        }
    }

    // The write API and the seed import refuse characters XML cannot carry, but rows stored before they did (or by
    // hand) may still hold some: they are written as U+FFFD rather than failing the whole feed.
    private static string Clean(string text) => ValidationRules.ReplaceUnstorable(text);

    private static DateTimeOffset LastUpdate(IReadOnlyList<FeedEntry> entries) =>
        entries.Count == 0 ? DateTimeOffset.UnixEpoch : entries.Max(e => e.Updated);

    private static string Rfc822(DateTimeOffset time) => time.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Xml(Stream stream, Action<XmlWriter> write)
    {
        using var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, CloseOutput = false });
        writer.WriteStartDocument();
        write(writer);
    }
}
