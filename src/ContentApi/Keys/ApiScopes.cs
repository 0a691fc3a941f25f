namespace ContentApi.Keys;

/// <summary>What a key may do. Each scope includes the ones below it: admin > content:write > content:preview.</summary>
public static class ApiScopes
{
    public const string Preview = "content:preview";
    public const string Write = "content:write";
    public const string Admin = "admin";

    public static readonly string[] All = [Preview, Write, Admin];

    /// <summary>The claim type that carries a key's effective scopes.</summary>
    public const string ClaimType = "scope";

    /// <summary>A key's scopes with the ones they include: an admin key may also write and preview.</summary>
    public static IEnumerable<string> Effective(IEnumerable<string> granted)
    {
        var highest = granted.Select(s => Array.IndexOf(All, s)).DefaultIfEmpty(-1).Max();
        return All.Take(highest + 1);
    }
}
