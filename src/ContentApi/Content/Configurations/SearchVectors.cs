namespace ContentApi.Content.Configurations;

/// <summary>The stored search vectors' SQL, one way for every table that is searched.</summary>
public static class SearchVectors
{
    /// <summary>Each (column, weight) pair as English lexemes, weighted A (counts most) to D, concatenated.</summary>
    public static string Sql(params (string Column, char Weight)[] parts) => string.Join(" || ",
        parts.Select(p => $"setweight(to_tsvector('english'::regconfig, coalesce({p.Column}, '')), '{p.Weight}')"));
}
