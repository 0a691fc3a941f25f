using System.Text.Json;
using ContentApi.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContentApi.Health;

/// <summary>/health/live (the process answers) and /health/ready (the database answers too).</summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddContentHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<ShutdownDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        services.AddSingleton<DatabaseHealthCheck>(); // one instance, so that probes share its latest answer
        services.AddHealthChecks()
            .AddCheck<ShutdownDrain>("shutdown", tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static void MapContentHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (report.Status == HealthStatus.Healthy)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = "healthy" }, ApiJson.Options));
        }
        var problem = new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
            Title = "Not ready",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = string.Join(" ", report.Entries.Values.Select(e => e.Description)),
            Instance = context.Request.Path,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        context.Response.Headers.RetryAfter = "5";
        context.Response.ContentType = Problems.ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(problem, ApiJson.Options));
    }
}
