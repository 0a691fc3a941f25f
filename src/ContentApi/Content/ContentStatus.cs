namespace ContentApi.Content;

/// <summary>Where an article is in its lifecycle: draft, scheduled, published or archived.</summary>
public enum ContentStatus
{
    Draft,
    Scheduled,
    Published,
    Archived,
}
