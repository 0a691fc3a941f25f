using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ContentApi.Http;

/// <summary>
/// Turns failures into problem responses without internals: a database that cannot be reached, a query past the
/// statement timeout, or a write the database aborted as a conflict is a 503 with Retry-After (the client may try
/// again); a body the server refused to read keeps its own 4xx status.
/// </summary>
public sealed class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var timedOut = IsStatementTimeout(exception) && !httpContext.RequestAborted.IsCancellationRequested;
        var conflicted = !timedOut && IsWriteConflict(exception);
        var unavailable = !timedOut && !conflicted && IsDatabaseUnavailable(exception);
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            _ when timedOut =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                 "This request needed longer than the server gives a query. Try again shortly, or ask for less."),
            _ when conflicted =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                 "This write collided with another one at the same moment and was rolled back; nothing was changed. Try again."),
            _ when unavailable =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                 "The content database is not answering right now. Try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error",
                  "The server failed to answer this request. The trace id identifies it in the logs."),
        };
        if (timedOut)
        {
            // Which endpoint and which request, so that a slow query can be found and fixed.
            logger.LogWarning("{Endpoint} ({Method} {Path}{Query}) ran past the statement timeout and got 503",
                httpContext.GetEndpoint()?.DisplayName ?? "An endpoint", httpContext.Request.Method, httpContext.Request.Path,
                httpContext.Request.QueryString);
        }
        else if (conflicted)
        {
            logger.LogWarning("Request {Method} {Path} got 503: the database aborted it as a conflict ({Reason})",
                httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else if (unavailable)
        {
            // An outage is one cause for many requests: a line each, without the same stack trace a thousand times.
            logger.LogWarning("Request {Method} {Path} got 503: the database is unavailable ({Reason})",
                httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", httpContext.Request.Method, httpContext.Request.Path, status);
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        if (unavailable)
        {
            // The pool's idle connections died with the server: drop them, so the first request after it is back succeeds.
            // (A timed-out query leaves its connection usable, so the pool is kept then.)
            httpContext.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>PostgreSQL cancelled the query at the statement timeout (<see cref="Database.DeliveryStatementTimeout"/>).</summary>
    private static bool IsStatementTimeout(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// PostgreSQL aborted the transaction because it collided with another: a deadlock (40P01) or a serialization
    /// failure (40001). The transaction was rolled back whole, so trying again is safe. Writers that update the same
    /// kept counts (listed_counts) in different orders can meet this way.
    /// </summary>
    private static bool IsWriteConflict(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The database is down, restarting or refusing connections (as opposed to a query that is wrong): connection
    /// errors, SQLSTATE classes 08 (connection), 53 (resources), 57P (shut down by an operator) and 55000 on connect.
    /// </summary>
    private static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            switch (exception)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState;
                case NpgsqlException:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
