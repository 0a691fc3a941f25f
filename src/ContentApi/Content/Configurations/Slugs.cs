namespace ContentApi.Content.Configurations;

/// <summary>The slug rule, once, for both the database's check constraints and the API's validators.</summary>
public static class Slugs
{
    public const int MaxLength = 120;
    public const string Pattern = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// <summary>A check constraint that holds a column to the slug rule.</summary>
    public static string CheckSql(string column) => $"{column} ~ '{Pattern}'";
}
