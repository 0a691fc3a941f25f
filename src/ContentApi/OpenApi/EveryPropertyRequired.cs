using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Responses write every property, null included (the API's JSON rules), so every property is required.</summary>
public sealed class EveryPropertyRequired : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is OpenApiSchema { Properties.Count: > 0 } concrete)
        {
            concrete.Required = new HashSet<string>(concrete.Properties.Keys);
        }
    }
}
