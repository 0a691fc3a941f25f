namespace ContentApi.Http;

/// <summary>The public website the content is published on (Site:BaseUrl), for canonical URLs.</summary>
public sealed record SiteOptions(Uri BaseUrl)
{
    public string ArticleUrl(string slug) => new Uri(BaseUrl, $"articles/{slug}").ToString();
}
