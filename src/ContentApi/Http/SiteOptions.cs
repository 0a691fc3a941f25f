namespace ContentApi.Http;

/// <summary>
/// The public website the content is published on (Site:BaseUrl, Site:Name), for canonical URLs and feeds, and the
/// public address of this API (Site:ApiBaseUrl, the site's when unset), for the addresses feeds give themselves.
/// </summary>
public sealed record SiteOptions(Uri BaseUrl, string Name = "Example Publisher", Uri? ApiBaseUrl = null)
{
    public string ArticleUrl(string slug) => new Uri(BaseUrl, $"articles/{slug}").ToString();

    public string PageUrl(string kind, string slug) => new Uri(BaseUrl, $"{kind}/{slug}").ToString();

    /// <summary>
    /// A path of this API under its configured public address. Never built from the request's Host header, which the
    /// caller chooses: a feed's self link and Atom id must not change with it (nor point readers at another host).
    /// </summary>
    public string ApiUrl(string path) => new Uri(ApiBaseUrl ?? BaseUrl, path.TrimStart('/')).ToString();
}
