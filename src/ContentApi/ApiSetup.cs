using ContentApi.Articles;
using ContentApi.Bench;
using ContentApi.Database;
using ContentApi.Health;
using ContentApi.Housekeeping;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using ContentApi.Observability;
using ContentApi.OpenApi;
using ContentApi.Webhooks;
using FastEndpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Console;

namespace ContentApi;

/// <summary>The API's services and request pipeline, in the order a request meets them.</summary>
public static class ApiSetup
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddContentApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            // Kestrel answers an over-long request line itself, with an empty 414; up to this size the API answers,
            // with a problem that names the parameter at fault.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
        });

        services.AddSingleton(TimeProvider.System);
        // With Logging:Console:FormatterName=json, each line carries its scopes, among them the request's TraceId and SpanId.
        services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Shutdown:TimeoutSeconds", 30)));
        services.AddSingleton(new SiteOptions(new Uri(builder.Configuration["Site:BaseUrl"] ?? "https://www.example-publisher.org/"),
            builder.Configuration["Site:Name"] ?? "Example Publisher",
            builder.Configuration["Site:ApiBaseUrl"] is { Length: > 0 } api ? new Uri(api) : null));
        var urlsPerFile = builder.Configuration.GetValue("Sitemaps:UrlsPerFile", Sitemaps.SitemapXml.MaxUrls);
        if (urlsPerFile is < 1 or > Sitemaps.SitemapXml.MaxUrls)
        {
            throw new InvalidOperationException($"Sitemaps:UrlsPerFile must be between 1 and {Sitemaps.SitemapXml.MaxUrls} (the sitemap protocol's limit); it is {urlsPerFile}.");
        }
        services.AddSingleton(new Sitemaps.SitemapSettings(urlsPerFile));
        services.AddSingleton(new DeliveryCacheOptions(builder.Configuration["Delivery:CacheControl"] ?? DeliveryCacheOptions.Default,
            builder.Configuration["Delivery:CdnCacheControl"]));
        services.AddScoped<ContentAudience>();
        services.AddContentDatabase(builder.Configuration);
        services.AddContentHealthChecks();

        services.AddApiProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            .AllowAnyHeader()
            .WithExposedHeaders("ETag", "Last-Modified", "Link", "Location", "Retry-After", "Idempotent-Replayed")));

        // API keys: Authorization: Bearer <secret>; a policy per scope, which FastEndpoints names with Policies(...).
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var scope in ApiScopes.All)
            {
                options.AddPolicy(scope, policy => policy.RequireClaim(ApiScopes.ClaimType, scope));
            }
        });
        services.AddContentRateLimits(builder.Configuration);
        services.AddTrustedProxies(builder.Configuration);

        var delivery = builder.Configuration.GetSection("Delivery");
        var cache = new DeliveryCacheSettings(delivery.GetValue("ResponseCache", true),
            TimeSpan.FromSeconds(delivery.GetValue("ResponseCacheSeconds", 60)));
        services.AddOutputCache(options => options.AddBasePolicy(new DeliveryCache(cache)));
        DeliveryCacheStore.Register(services);
        services.AddSingleton(cache);
        services.AddSingleton<DeliveryCacheFollower>();
        if (cache.Enabled || builder.Configuration.GetConnectionString(ReadReplica.ConnectionName) is { Length: > 0 })
        {
            services.AddHostedService(sp => sp.GetRequiredService<DeliveryCacheFollower>()); // changes made through other replicas too
        }
        services.AddSingleton(new DeliveryAccess(delivery.GetValue("RequireKey", false)));
        services.AddSingleton(builder.Configuration.GetSection("Webhooks").Get<WebhookSettings>() ?? new WebhookSettings());
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<ScheduledPublishing>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduledPublishing>());
        services.AddSingleton(RetentionSettings.From(builder.Configuration));
        services.AddSingleton<RetentionPruning>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPruning>());
        builder.AddContentTelemetry(); // only with Metrics:Prometheus or OTEL_EXPORTER_OTLP_ENDPOINT
        services.AddEndpointsApiExplorer();
        services.AddContentApiDocument();
        // Endpoints live in this assembly only; scanning every loaded assembly costs seconds at start-up.
        services.AddFastEndpoints(o =>
        {
            o.DisableAutoDiscovery = true;
            o.Assemblies = [typeof(ApiSetup).Assembly];
        });
        return builder;
    }

    public static WebApplication UseContentApi(this WebApplication app)
    {
        app.UseTrustedProxies(); // first, so that rate limits and logs see the client's address
        app.UseNoSniff();
        app.UseContentMetrics(); // /metrics, with Metrics:Prometheus=true: before load shedding and limits
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseLoadShedding(app.Configuration.GetSection("Limits").Get<LoadSheddingSettings>() ?? new LoadSheddingSettings());
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseDeliveryAccess();
        app.UseOutputCache();
        app.MapContentHealthChecks();
        app.MapContentApiDocument();
        app.UseAuthorization();
        if (app.Services.GetService<ReadReplica>() is { } replica)
        {
            app.Use(replica.RouteAsync); // last before the endpoints, so that a failed standby read can run again on the primary
        }
        app.UseFastEndpoints(config =>
        {
            ApiJson.Configure(config.Serializer.Options);
            config.Errors.ContentType = Problems.ContentType;
            config.Errors.ResponseBuilder = Problems.FromValidationFailures;
            config.Endpoints.Configurator = endpoint =>
            {
                endpoint.PreProcessor<RejectUnknownQueryParameters>(Order.Before);
                endpoint.PreProcessor<PreviewAccess>(Order.Before);
                if (endpoint.Verbs.Contains("GET"))
                {
                    endpoint.AdditionalVerbs(FastEndpoints.Http.HEAD); // curl -I and revalidating caches
                }
            };
        });
        app.MapBenchReferences(); // only with Bench:ReferenceEndpoints=true, for bench/run.sh
        return app;
    }
}
