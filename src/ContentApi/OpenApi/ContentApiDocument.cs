using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// Document-wide touches: tags described, HEAD operations left out (every GET answers HEAD alike), unused schemas
/// removed.
/// </summary>
public sealed class ContentApiDocument : IDocumentFilter
{
    // One tag per resource folder, as FastEndpointsOperations assigns them.
    private static readonly Dictionary<string, string> Tags = new()
    {
        ["Articles"] = "Published articles: lists with filters, one article with everything its page shows, related articles.",
        ["Authors"] = "The people who write for the publisher, and their articles.",
        ["Sections"] = "Where articles are filed (each article has one section), and their articles.",
        ["Topics"] = "What articles and works are about (an article has several), and their articles.",
        ["Works"] = "The publisher's own books, CDs and other works, shown beside articles as related works.",
        ["Search"] = "Full-text search over articles, authors, topics and works.",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = swaggerDoc;
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        foreach (var path in document.Paths.Values.OfType<OpenApiPathItem>())
        {
            path.Operations?.Remove(HttpMethod.Head);
        }

        // Request DTOs were turned into parameters; drop the schemas nothing refers to any more.
        var json = document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).GetAwaiter().GetResult();
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
            json = document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1).GetAwaiter().GetResult();
        }
        while (removed);
    }
}
