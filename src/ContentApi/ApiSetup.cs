using ContentApi.Database;
using ContentApi.Health;
using ContentApi.Http;
using ContentApi.OpenApi;
using FastEndpoints;

namespace ContentApi;

/// <summary>The API's services and request pipeline, in the order a request meets them.</summary>
public static class ApiSetup
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddContentApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new SiteOptions(new Uri(builder.Configuration["Site:BaseUrl"] ?? "https://www.example-publisher.org/")));
        services.AddSingleton(new DeliveryCacheOptions(builder.Configuration["Delivery:CacheControl"] ?? DeliveryCacheOptions.Default));
        services.AddContentDatabase();
        services.AddContentHealthChecks();

        services.AddApiProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "HEAD")
            .AllowAnyHeader()
            .WithExposedHeaders("ETag", "Last-Modified", "Link", "Location", "Retry-After")));
        // Endpoints live in this assembly only; scanning every loaded assembly costs seconds at start-up.
        services.AddEndpointsApiExplorer();
        services.AddContentApiDocument();
        services.AddFastEndpoints(o =>
        {
            o.DisableAutoDiscovery = true;
            o.Assemblies = [typeof(ApiSetup).Assembly];
        });
        return builder;
    }

    public static WebApplication UseContentApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.MapContentHealthChecks();
        app.MapContentApiDocument();
        app.UseFastEndpoints(config =>
        {
            ApiJson.Configure(config.Serializer.Options);
            config.Errors.ContentType = Problems.ContentType;
            config.Errors.ResponseBuilder = Problems.FromValidationFailures;
            config.Endpoints.Configurator = endpoint =>
            {
                endpoint.PreProcessor<RejectUnknownQueryParameters>(Order.Before);
                if (endpoint.Verbs.Contains("GET"))
                {
                    endpoint.AdditionalVerbs(FastEndpoints.Http.HEAD); // curl -I and revalidating caches
                }
            };
        });
        return app;
    }
}
