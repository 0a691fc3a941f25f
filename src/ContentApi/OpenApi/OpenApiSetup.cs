using Microsoft.OpenApi;

namespace ContentApi.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json and Swagger UI at /swagger.</summary>
public static class OpenApiSetup
{
    public const string DocumentUrl = "/openapi/v1.json";

    public static IServiceCollection AddContentApiDocument(this IServiceCollection services) => services
        .AddSingleton<SeedExamples>()
        .AddSwaggerGen(options =>
    {
        options.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "ContentApi",
            Version = "v1",
            Description = "A publisher's articles, authors, sections, topics and works, as JSON. Lists page with an opaque " +
                          "cursor; every GET has a strong ETag; errors are RFC 9457 problem documents.",
        });
        options.IncludeXmlComments(Path.ChangeExtension(typeof(OpenApiSetup).Assembly.Location, ".xml"));
        options.SupportNonNullableReferenceTypes();
        options.NonNullableReferenceTypesAsRequired();
        options.UseAllOfToExtendReferenceSchemas(); // lets a referenced schema be nullable (image: null)
        options.SchemaFilter<ResponseSchemas>();
        options.OperationFilter<FastEndpointsOperations>();
        options.DocumentFilter<ContentApiDocument>();
        options.CustomSchemaIds(type => SchemaNames.For(type));
    });

    public static void MapContentApiDocument(this WebApplication app)
    {
        app.UseSwagger(o =>
        {
            o.RouteTemplate = "openapi/{documentName}.json";
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1; // 3.1 can say "this reference, or null"
        });
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "swagger";
            o.SwaggerEndpoint(DocumentUrl, "ContentApi v1");
        });
    }
}

/// <summary>
/// Schema names a client can read: ListResponse&lt;ArticleCard&gt; is ArticleCardList, FacetedListResponse&lt;SearchHit&gt;
/// is SearchHitFacetedList.
/// </summary>
public static class SchemaNames
{
    public static string For(Type type) => type.IsGenericType
        ? For(type.GetGenericArguments()[0]) + type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)].Replace("Response", "", StringComparison.Ordinal)
        : type.Name.Replace("Response", "", StringComparison.Ordinal) switch
        {
            "" => type.Name,
            var name => name,
        };
}
