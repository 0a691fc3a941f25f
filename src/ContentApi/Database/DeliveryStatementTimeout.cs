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
    /// best walked down the date index for a common word and read from the GIN index for a rare one. Statements are
    /// prepared (Max Auto Prepare), and PostgreSQL may then settle on one generic plan for every word; a tagged query
    /// is planned anew each time. The setting lasts until the connection goes back to the pool.
    /// </summary>
    public const string CustomPlanTag = "plan per parameters";
    private const string CustomPlan = "SET plan_cache_mode = force_custom_plan;\n";

    /// <summary>
    /// The tag of a query that walks an index in order and stops at its limit, so that one plan suits any parameters.
    /// PostgreSQL, which cannot see the limit or the dates in a generic plan, would otherwise plan it anew on every
    /// execution: 0.4 ms, four times the 0.1 ms of running a list's keys query. Not for queries whose joins depend on
    /// how many rows the limit lets through (a generic plan assumes a tenth of the table and hashes the joins).
    /// Parallel workers are turned off with it: the generic plan guesses a third of the archive for a date range it
    /// cannot see (the list's not-yet-due subcount, in fact a few rows), and at a million articles it started workers
    /// for it on every page.
    /// </summary>
    public const string GenericPlanTag = "one plan for any parameters";
    private const string GenericPlan = "SET plan_cache_mode = force_generic_plan; SET max_parallel_workers_per_gather = 0;\n";

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

    /// <summary>
    /// Puts the timeout on a command of a delivery request, and before each tagged statement the plan setting its tag
    /// asks for: a command of several statements may plan each its own way.
    /// </summary>
    public void Apply(DbCommand command)
    {
        var text = command.CommandText
            .Replace("-- " + CustomPlanTag, CustomPlan + "-- " + CustomPlanTag, StringComparison.Ordinal)
            .Replace("-- " + GenericPlanTag, GenericPlan + "-- " + GenericPlanTag, StringComparison.Ordinal);
        var timeout = milliseconds > 0 && http.HttpContext?.Request is { } request && PreviewAccess.AppliesTo(request) ? _set : "";
        command.CommandText = timeout + text;
    }
}
