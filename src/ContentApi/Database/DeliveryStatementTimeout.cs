using System.Data.Common;
using System.Globalization;
using ContentApi.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ContentApi.Database;

/// <summary>
/// Delivery:StatementTimeoutMilliseconds (5000; 0 turns it off). Every query of a delivery request runs under
/// PostgreSQL's statement_timeout, so that no anonymous request can keep a connection and a core busy for long: past
/// it, PostgreSQL cancels the query (SQLSTATE 57014), the connection stays usable, and the client gets a 503
/// (<see cref="ExceptionProblems"/>). The setting rides on the command itself, costing no extra round trip; the
/// connection forgets it when it goes back to the pool, which resets session settings. Writes, background jobs,
/// migrations and imports are not limited.
/// </summary>
public sealed class DeliveryStatementTimeout(IHttpContextAccessor http, int milliseconds) : DbCommandInterceptor
{
    private readonly string _set = $"SET statement_timeout = {milliseconds.ToString(CultureInfo.InvariantCulture)};\n";

    /// <summary>
    /// The tag (EF Core's <c>TagWith</c>) of a query whose best plan depends on its parameters: a full-text match is
    /// best walked down the date index for a common word and read from the GIN index for a rare one. A tagged query
    /// is planned anew each time. The setting lasts until the connection goes back to the pool.
    /// </summary>
    public const string CustomPlanTag = "plan per parameters";
    private const string CustomPlan = "SET plan_cache_mode = force_custom_plan;\n";
    // Statements are prepared (Max Auto Prepare), and every other delivery query walks an index in order and stops
    // at its limit: one plan suits any parameters. PostgreSQL would plan most of them anew on every execution
    // (0.4 ms, four times the 0.1 ms of running a list's keys query), as a generic plan cannot see the limit.
    private const string GenericPlan = "SET plan_cache_mode = force_generic_plan;\n";

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result)
    {
        Apply(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Apply(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>Puts the timeout and the plan setting on a command of a delivery request; others keep their own plans.</summary>
    public void Apply(DbCommand command)
    {
        var delivery = http.HttpContext?.Request is { } request && PreviewAccess.AppliesTo(request);
        var plan = command.CommandText.StartsWith("-- " + CustomPlanTag, StringComparison.Ordinal) ? CustomPlan
            : delivery ? GenericPlan : "";
        command.CommandText = (delivery && milliseconds > 0 ? _set : "") + plan + command.CommandText;
    }
}
