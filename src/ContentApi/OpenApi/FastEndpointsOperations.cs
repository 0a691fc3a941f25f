using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FastEndpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// The bridge from FastEndpoints to Swashbuckle. FastEndpoints documents itself through NSwag; Swashbuckle only sees
/// route endpoints, so it shows a GET's request DTO as a body and knows nothing of the responses. This filter reads
/// each endpoint's FastEndpoints definition and writes the operation a client needs: id, tag, summary, path and
/// query parameters from the request DTO, and every response the API's shared pieces can give.
/// </summary>
public sealed partial class FastEndpointsOperations(SeedExamples examples) : IOperationFilter
{
    private static readonly Lazy<XDocument?> XmlDocs = new(() =>
    {
        var path = Path.ChangeExtension(typeof(FastEndpointsOperations).Assembly.Location, ".xml");
        return File.Exists(path) ? XDocument.Load(path) : null;
    });

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")] // {slug}, or {kind:regex(...)} with a constraint
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"^v1/manage/[a-z-]+(/\{id\})?$")]
    private static partial Regex ResourceWriteRoute();

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var definition = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();
        if (definition is null)
        {
            return;
        }
        var endpointType = definition.EndpointType;
        operation.OperationId = char.ToLowerInvariant(endpointType.Name[0]) + endpointType.Name[1..];
        operation.Summary = definition.EndpointSummary?.Summary;
        operation.Description = definition.EndpointSummary?.Description;
        // Management endpoints name their tag in Configure(); a delivery endpoint's tag is its folder.
        var tag = definition.EndpointTags?.FirstOrDefault() ?? endpointType.Namespace!.Split('.')[^1];
        operation.Tags = new HashSet<OpenApiTagReference> { new(tag, context.Document) };

        var route = context.ApiDescription.RelativePath ?? "";
        var pathParameters = RouteParameter().Matches(route).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var verb = context.ApiDescription.HttpMethod ?? "GET";
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        // FastEndpoints also adds a policy of its own per endpoint (epPolicy:{type}); it is no scope a key can have.
        var scopes = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
            .Where(p => !p.StartsWith("epPolicy:", StringComparison.Ordinal)).Distinct().ToList();

        // A GET's inputs are the path and the query (its DTO); a write's DTO, if any, is its JSON body.
        operation.RequestBody = verb == "GET" ? null : RequestBody(definition, metadata, route, context);
        var parameters = verb == "GET"
            ? Parameters(definition.ReqDtoType, pathParameters, ValidatorRules.For(definition.ValidatorType), context).ToList()
            : [];
        // Path parameters no DTO declares: the management API's ids, and the versions routes' kind and version numbers.
        parameters.InsertRange(0, pathParameters.Where(name => !parameters.Any(p => p.Name == name)).Select(ManagementPathParameter));
        operation.Parameters = parameters;

        if (route.StartsWith("v1/manage", StringComparison.Ordinal))
        {
            ManagementResponses.Add(operation, context, definition, scopes);
        }
        else
        {
            var isList = definition.ResDtoType?.GetProperty("Items") is not null;
            if (endpointType.Namespace is { } ns && (ns == typeof(Feeds.FeedDocument).Namespace || ns == typeof(Sitemaps.SitemapXml).Namespace)
                && operation.Responses is { } declared)
            {
                declared.Remove("204"); // feeds and sitemaps write their own bytes; their 200 is described in DeliveryExtras
                declared["200"] = new OpenApiResponse();
            }
            StandardResponses.Add(operation, context, isList, hasSlug: pathParameters.Contains("slug"));
            DeliveryExtras(operation, context, endpointType);
        }
        if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse { Content: { } content } && content.TryGetValue("application/json", out var json)
            && json is OpenApiMediaType media && examples.For(operation.OperationId) is { } example)
        {
            media.Example = example;
        }
    }

    private static OpenApiParameter ManagementPathParameter(string name) => new()
    {
        Name = name,
        In = ParameterLocation.Path,
        Required = true,
        Description = name switch
        {
            "kind" => "Which kind of resource: articles, authors, sections, topics or works.",
            "version" => "A version number: the ETag the resource had then, without its quotes.",
            "a" => "The version to compare from.",
            "b" => "The version to compare to.",
            _ => "The resource's id (a UUID).",
        },
        Schema = name switch
        {
            "kind" => new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = ["articles", "authors", "sections", "topics", "works"],
            },
            "version" or "a" or "b" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
            _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
        },
    };

    /// <summary>What every delivery GET has besides the standard answers: preview, the rate limit, and the article's 410.</summary>
    private static void DeliveryExtras(OpenApiOperation operation, OperationFilterContext context, Type endpointType)
    {
        operation.Parameters!.Add(new OpenApiParameter
        {
            Name = Http.PreviewAccess.Parameter,
            In = ParameterLocation.Query,
            Description = "true shows drafts and scheduled articles too; needs an API key with the content:preview scope. " +
                          "Preview answers are 'Cache-Control: private, no-store'.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) },
        });
        // The key is optional here: anonymous, or a key for preview (or when the server requires keys).
        operation.Security = [new OpenApiSecurityRequirement(), ManagementResponses.Requirement(context, [])];
        var responses = operation.Responses!;
        responses["401"] = ManagementResponses.Unauthorized(context, "An Authorization header whose key is unknown, revoked, expired or not a Bearer key " +
            "(such a call is never answered anonymously); preview=true without a valid key; or any call without one when the server requires keys (Delivery:RequireKey).");
        responses["403"] = ManagementResponses.Problem(context, "preview=true with a key that lacks the content:preview scope.");
        responses["429"] = ManagementResponses.TooMany(context);
        if (endpointType.Namespace == typeof(Feeds.FeedDocument).Namespace && responses.GetValueOrDefault("200") is OpenApiResponse feed)
        {
            // One operation, three formats: the extension in the path chooses.
            var text = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The feed document." };
            feed.Description = "The feed, in the format its extension names.";
            feed.Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/rss+xml"] = new OpenApiMediaType { Schema = text },
                ["application/atom+xml"] = new OpenApiMediaType { Schema = text },
                ["application/feed+json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/).",
                        Required = new HashSet<string> { "version", "title", "items" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["version"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["items"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
                        },
                    },
                },
            };
        }
        if (endpointType.Namespace == typeof(Sitemaps.SitemapXml).Namespace && responses.GetValueOrDefault("200") is OpenApiResponse sitemap)
        {
            sitemap.Description = "The sitemap document (sitemaps.org 0.9; the news sitemap adds Google's news namespace).";
            sitemap.Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/xml"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The sitemap XML." } },
            };
        }
        if (endpointType == typeof(Sitemaps.ArticlesSitemap))
        {
            responses["404"] = ManagementResponses.Problem(context, "There is no article sitemap with this number; the sitemap index lists the ones there are.");
        }
        if (endpointType == typeof(Sitemaps.CatalogueSitemap))
        {
            responses["404"] = ManagementResponses.Problem(context, "There is no such sitemap: kind is sections, topics, authors or works.");
        }
        if (endpointType == typeof(Articles.GetArticle))
        {
            responses["410"] = ManagementResponses.Problem(context, "The article was public once and has been withdrawn (archived, deleted, or its unpublishAt came); it will not come back at this address unless an editor publishes it again. One that was never public, or was unpublished by hand, is a 404.");
        }
    }

    private static OpenApiRequestBody? RequestBody(EndpointDefinition definition, IList<object> metadata, string route,
        OperationFilterContext context)
    {
        // The endpoint's own Accepts<T>() comes after the one FastEndpoints adds for its request DTO.
        var accepts = metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().LastOrDefault(a => a.RequestType is not null);
        var (type, mediaTypes) = accepts is not null
            ? (accepts.RequestType!, accepts.ContentTypes)
            : definition.ReqDtoType is { } dto && dto != typeof(EmptyRequest) ? (dto, (IReadOnlyList<string>)["application/json"]) : (null, []);
        if (type is null)
        {
            return null;
        }
        var schema = context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository);
        return new OpenApiRequestBody
        {
            // An endpoint that cleared its accepts metadata (publish) reads its body only when one is sent.
            Required = accepts is not null,
            // A write to a collection or to one resource sends that resource's fields, bound by JsonBodyBinder's strict
            // rules; an action on a resource (…/{id}/schedule) takes a request of its own.
            Description = ResourceWriteRoute().IsMatch(route)
                ? "The resource's fields. Server-owned fields (id, timestamps, version, status, computed values) are refused if sent."
                : "The request's fields.",
            Content = mediaTypes.ToDictionary(m => m, _ => (IOpenApiMediaType)new OpenApiMediaType { Schema = schema }),
        };
    }

    private static IEnumerable<IOpenApiParameter> Parameters(Type? requestType, HashSet<string> pathParameters,
        ValidatorRules rules, OperationFilterContext context)
    {
        if (requestType is null || requestType == typeof(EmptyRequest))
        {
            yield break;
        }
        // Path parameters first, then the query parameters in declaration order (base class first).
        var properties = requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .OrderByDescending(p => pathParameters.Contains(p.Name))
            .ThenBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken);
        foreach (var property in properties)
        {
            var inPath = pathParameters.Contains(property.Name);
            var schema = context.SchemaGenerator.GenerateSchema(property.PropertyType, context.SchemaRepository, memberInfo: property);
            rules.Constrain(property.Name, schema);
            if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed && schema is OpenApiSchema concrete)
            {
                concrete.Enum = allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!).ToList();
            }
            yield return new OpenApiParameter
            {
                Name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..],
                In = inPath ? ParameterLocation.Path : ParameterLocation.Query,
                Required = inPath || rules.Requires(property.Name),
                Description = Summary(property),
                Schema = schema, // arrays use the query's default form style: topic=a&topic=b
            };
        }
    }

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            depth++;
        }
        return depth; // properties of a base class (ListRequest) come before those a subclass adds
    }

    /// <summary>The property's XML doc summary: the request DTOs are documented where they are declared.</summary>
    private static string? Summary(PropertyInfo property)
    {
        var name = $"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}";
        var member = XmlDocs.Value?.Descendants("member").FirstOrDefault(m => (string?)m.Attribute("name") == name);
        var text = member?.Element("summary")?.Value;
        return text is null ? null : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
