using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>Document-wide touches: HEAD operations left out (every GET answers HEAD alike), unused schemas removed.</summary>
public sealed class ContentApiDocument : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = swaggerDoc;
        foreach (var path in document.Paths.Values.OfType<OpenApiPathItem>())
        {
            path.Operations?.Remove(HttpMethod.Head);
        }

        // Request DTOs were turned into parameters; drop the schemas nothing refers to any more.
        var json = document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0).GetAwaiter().GetResult();
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }
        bool removed;
        do
        {
            removed = false;
            foreach (var name in schemas.Keys.ToList())
            {
                var reference = $"\"#/components/schemas/{name}\"";
                if (!json.Contains(reference, StringComparison.Ordinal))
                {
                    schemas.Remove(name);
                    removed = true;
                }
            }
            json = document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0).GetAwaiter().GetResult();
        }
        while (removed);
    }
}
