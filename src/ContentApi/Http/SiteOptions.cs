namespace ContentApi.Http;

/// <summary>
/// The public website the content is published on (Site:BaseUrl, Site:Name), for canonical URLs and feeds.
/// </summary>
public sealed record SiteOptions(Uri BaseUrl, string Name = "Example Publisher")
{
    public string ArticleUrl(string slug) => new Uri(BaseUrl, $"articles/{slug}").ToString();

    public string PageUrl(string kind, string slug) => new Uri(BaseUrl, $"{kind}/{slug}").ToString();
}
