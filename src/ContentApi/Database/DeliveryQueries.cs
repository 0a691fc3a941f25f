using Npgsql;

namespace ContentApi.Database;

/// <summary>
/// Commands for the delivery API's hand-written queries (<see cref="Articles.ArticleReader"/>,
/// <see cref="Articles.ArticleCards"/>), under the same statement timeout as its EF Core queries. The timeout comes as
/// a statement before the query, so their parameters are named (@slug): Npgsql takes positional ones ($1) in a
/// command of one statement only. A request that <see cref="ReadReplica"/> sent to the standby reads from there.
/// </summary>
public sealed class DeliveryQueries(NpgsqlDataSource dataSource, DeliveryStatementTimeout timeout, IHttpContextAccessor http,
    Articles.CardNames names, ReadReplica? replica = null)
{
    /// <summary>The authors' and topics' names the cards show.</summary>
    public Articles.CardNames Names => names;

    public NpgsqlCommand CreateCommand(string sql)
    {
        var command = (replica?.StandbyFor(http.HttpContext) ?? dataSource).CreateCommand(sql);
        timeout.Apply(command);
        return command;
    }
}
