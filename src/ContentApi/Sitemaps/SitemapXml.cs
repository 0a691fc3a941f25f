using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using ContentApi.Http;

namespace ContentApi.Sitemaps;

/// <summary>
/// Sitemap documents in the sitemaps.org 0.9 format (an index, URL sets) and Google News sitemaps, written element by
/// element. Every URL is entity-escaped as the protocol asks (all five of &amp; ' " &lt; &gt;), and dates are W3C
/// datetimes in UTC.
/// </summary>
public static class SitemapXml
{
    public const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    public const string NewsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";
    public const string ContentType = "application/xml; charset=utf-8";
    /// <summary>
    /// Sitemaps send no Last-Modified, only their ETag: a file also changes when a row leaves it (an unpublished
    /// article, a deleted topic) or when a listed sitemap's lastmod moves, which no single row's time shows, so a
    /// client revalidating by date would be told 304 for a changed file.
    /// </summary>
    public static readonly DateTimeOffset? NoLastModified;

    /// <summary>The protocol's limit of URLs per file.</summary>
    public const int MaxUrls = 50_000;

    /// <summary>A URL and when what it shows last changed.</summary>
    public sealed record Entry(string Location, DateTimeOffset? LastModified);

    /// <summary>An article in a news sitemap.</summary>
    public sealed record NewsEntry(string Location, string Title, DateTimeOffset Published);

    public static byte[] Index(IEnumerable<Entry> sitemaps) => Write("sitemapindex", null, w =>
    {
        foreach (var sitemap in sitemaps)
        {
            Url(w, "sitemap", sitemap);
        }
    });

    public static byte[] UrlSet(IEnumerable<Entry> urls) => Write("urlset", null, w =>
    {
        foreach (var url in urls)
        {
            Url(w, "url", url);
        }
    });

    public static byte[] News(string publication, IEnumerable<NewsEntry> articles) => Write("urlset", NewsNamespace, w =>
    {
        foreach (var article in articles)
        {
            w.WriteStartElement("url", Namespace);
            Location(w, article.Location);
            w.WriteStartElement("news", "news", NewsNamespace);
            w.WriteStartElement("news", "publication", NewsNamespace);
            Text(w, "name", NewsNamespace, publication);
            Text(w, "language", NewsNamespace, "en");
            w.WriteEndElement();
            Text(w, "publication_date", NewsNamespace, W3c(article.Published));
            Text(w, "title", NewsNamespace, article.Title);
            w.WriteEndElement();
            w.WriteEndElement();
        }
    });

    public static string W3c(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Url(XmlWriter w, string element, Entry entry)
    {
        w.WriteStartElement(element, Namespace);
        Location(w, entry.Location);
        if (entry.LastModified is { } modified)
        {
            Text(w, "lastmod", Namespace, W3c(modified));
        }
        w.WriteEndElement();
    }

    // XmlWriter escapes & < > in text but leaves ' and ", which the sitemap protocol wants escaped in URLs too.
    private static void Location(XmlWriter w, string url)
    {
        w.WriteStartElement("loc", Namespace);
        w.WriteRaw(SecurityElement.Escape(ValidationRules.ReplaceUnstorable(url)));
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string name, string ns, string value)
    {
        w.WriteStartElement(name, ns);
        w.WriteString(ValidationRules.ReplaceUnstorable(value));
        w.WriteEndElement();
    }

    private static byte[] Write(string root, string? extraNamespace, Action<XmlWriter> content)
    {
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            w.WriteStartDocument();
            w.WriteStartElement(root, Namespace);
            if (extraNamespace is not null)
            {
                w.WriteAttributeString("xmlns", "news", null, extraNamespace);
            }
            content(w);
            w.WriteEndElement();
        }
        return stream.ToArray();
    }
}

/// <summary>Sitemaps:UrlsPerFile: how many article URLs each article sitemap holds (at most the protocol's 50,000).</summary>
public sealed record SitemapSettings(int UrlsPerFile = SitemapXml.MaxUrls);
