namespace ContentApi.Content;

/// <summary>What kind of thing a publisher's work is.</summary>
public enum WorkKind
{
    Book,
    Cd,
    Dvd,
    Booklet,
    Other,
}
