using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace ContentApi.Http;

/// <summary>
/// Turns failures into problem responses without internals: a database that cannot be reached is a 503 with
/// Retry-After (the client may try again); a body the server refused to read keeps its own 4xx status.
/// </summary>
public sealed class ExceptionProblems(IProblemDetailsService problems, ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
            NpgsqlException { IsTransient: true } or NpgsqlException { InnerException: SocketException } or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                 "The content database is not answering right now. Try again shortly."),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error",
                  "The server failed to answer this request. The trace id identifies it in the logs."),
        };
        if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed with {Status}", httpContext.Request.Method, httpContext.Request.Path, status);
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
