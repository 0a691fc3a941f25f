using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ContentApi.Observability;

/// <summary>
/// Metrics and traces through OpenTelemetry, for ASP.NET Core, HttpClient (webhooks), Npgsql, the runtime and the
/// API's own instruments (<see cref="ContentMetrics"/>, <see cref="WebhookBacklogGauges"/>). Exported over OTLP when
/// OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the other OTEL_* variables itself), and scraped at
/// /metrics when Metrics:Prometheus is true. With neither, nothing is registered and nothing is measured.
/// </summary>
public static class Telemetry
{
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string ScrapePath = "/metrics";

    public static WebApplicationBuilder AddContentTelemetry(this WebApplicationBuilder builder)
    {
        var prometheus = builder.Configuration.GetValue<bool>(PrometheusSetting);
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!prometheus && !otlp)
        {
            return builder;
        }
        builder.Services.AddSingleton<WebhookBacklogGauges>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "contentapi"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation() // http.server.request.duration by http.route, Kestrel's connections
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation() // the pool: db.client.connection.count by state, .max, pending requests
                    .AddMeter(ContentMetrics.MeterName)
                    .AddInstrumentation(sp => sp.GetRequiredService<WebhookBacklogGauges>());
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter());
        }
        return builder;
    }

    /// <summary>
    /// Answers GET /metrics in Prometheus's text format, when Metrics:Prometheus is true; ahead of load shedding, rate
    /// limits and keys, so that an overloaded API can still be watched. Keep it off the public balancer.
    /// </summary>
    public static WebApplication UseContentMetrics(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(PrometheusSetting))
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(ScrapePath);
        }
        return app;
    }

    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(ScrapePath) || path.StartsWithSegments("/health");
}
