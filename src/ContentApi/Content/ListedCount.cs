namespace ContentApi.Content;

/// <summary>
/// How many articles are listed (published, or scheduled) in all, per section, per topic and per author. Triggers
/// keep it in the writer's transaction (the ListedArticles migration), so a list's total is one row read instead of
/// a count over every matching article. Live counts subtract the few listed articles whose time has not come.
/// </summary>
public sealed class ListedCount
{
    public const string All = "all";
    public const string Section = "section";
    public const string Topic = "topic";
    public const string Author = "author";

    /// <summary>all, section, topic or author.</summary>
    public string Kind { get; private set; } = "";
    /// <summary>The section's, topic's or author's id; <see cref="Guid.Empty"/> for all.</summary>
    public Guid Key { get; private set; }
    public int Listed { get; private set; }
}
