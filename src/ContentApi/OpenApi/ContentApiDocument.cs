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
        ["Manage articles"] = "Write articles (drafts included) and move them through their lifecycle: publish, schedule, unpublish, archive.",
        ["Manage authors"] = "Create, change and delete authors.",
        ["Manage sections"] = "Create, change and delete sections.",
        ["Manage topics"] = "Create, change and delete topics.",
        ["Manage works"] = "Create, change and delete the publisher's works.",
        ["API keys"] = "Issue, list and revoke API keys (admin scope).",
        ["Audit log"] = "Who changed what, and when: every change made through the management API (admin scope).",
        ["Feeds"] = "RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the newest articles: all, or a section's, topic's or author's.",
        ["Changes"] = "The change feed: every change to public content in commit order, for partners that mirror it.",
        ["Webhooks"] = "Signed event deliveries to partners' URLs (Standard Webhooks), with a delivery log (admin scope).",
    };

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = swaggerDoc;
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ManagementResponses.SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "cak_ followed by 43 characters",
                Description = "An API key as 'Authorization: Bearer <secret>'. Keys have scopes: content:preview (drafts on the " +
                              "delivery API with preview=true), content:write (the management API, and preview) and admin (keys, and all of that). " +
                              "Make the first one with: dotnet run --project src/ContentApi -- keys create --name NAME --scope admin",
            },
        };
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
