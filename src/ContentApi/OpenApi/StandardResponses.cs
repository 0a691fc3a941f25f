using System.Globalization;
using System.Text.Json.Nodes;
using ContentApi.Http;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// The responses every delivery GET can give, because they come from the shared HTTP pieces (conditional JSON,
/// paging, former-slug redirects, validation, the exception handler) rather than from one endpoint.
/// </summary>
public static class StandardResponses
{
    public const string ProblemSchema = "Problem";
    public const string ValidationProblemSchema = "ValidationProblem";

    public static void Add(OpenApiOperation operation, OperationFilterContext context, bool isList, bool hasSlug)
    {
        EnsureProblemSchemas(context.SchemaRepository);
        var responses = operation.Responses ??= new OpenApiResponses();

        if (responses.TryGetValue("200", out var ok) && ok is OpenApiResponse success)
        {
            success.Description = isList ? "A page of the list." : "The resource.";
            success.Headers = CachingHeaders(isList);
        }
        responses["304"] = new OpenApiResponse
        {
            Description = "Not modified: the If-None-Match ETag (or If-Modified-Since time) is still current. No body.",
            Headers = new Dictionary<string, IOpenApiHeader> { ["ETag"] = Header("The current strong entity tag, for the encoding asked for.") },
        };
        if (hasSlug)
        {
            responses["301"] = new OpenApiResponse
            {
                Description = "The slug is a former one; Location holds the same address under the current slug.",
                Headers = new Dictionary<string, IOpenApiHeader> { ["Location"] = Header("The address under the current slug.") },
            };
        }
        responses["400"] = Problem(context, ValidationProblemSchema, isList
            ? $"A parameter is invalid or unknown, or page × limit goes past {Paging.MaxDepth.ToString("N0", CultureInfo.InvariantCulture)} (read further with cursor); errors names each one with what to change."
            : "A parameter is invalid or unknown; errors names each one with what to change.");
        if (hasSlug)
        {
            responses["404"] = Problem(context, ProblemSchema, "Nothing published has this slug.");
        }
        responses["500"] = Problem(context, ProblemSchema, "The server failed; traceId identifies the failure in its logs.");
        var unavailable = Problem(context, ProblemSchema,
            "The database is not answering, or a query ran past the statement timeout (Delivery:StatementTimeoutMilliseconds); try again after Retry-After seconds.");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        responses["503"] = unavailable;
    }

    private static Dictionary<string, IOpenApiHeader> CachingHeaders(bool isList)
    {
        var headers = new Dictionary<string, IOpenApiHeader>
        {
            ["ETag"] = Header("A strong entity tag of the body as sent, one per encoding (\"<hash>\", \"<hash>-br\", \"<hash>-gzip\"); " +
                              "send it back as If-None-Match, with the same Accept-Encoding, to get 304 while it is current."),
            ["Content-Encoding"] = Header("br or gzip when Accept-Encoding asks for it and the body is 1 kB or more; absent otherwise."),
            ["Vary"] = Header("Accept-Encoding: shared caches must keep one copy per encoding."),
            ["Cache-Control"] = Header($"How long shared caches may keep the response, by default '{DeliveryCacheOptions.Default}'."),
            ["Surrogate-Key"] = Header("The answer's cache tags, space-separated (e.g. 'article:{id} author:{id} content section:{id}', or " +
                                       "'content lists'); a webhook event's data.tags names those a change makes stale, for a CDN's purge by tag. " +
                                       "Public answers only."),
            ["Cache-Tag"] = Header("The same tags, comma-separated. Public answers only."),
            ["Surrogate-Control"] = Header("How long a CDN alone may keep the answer (Delivery:CdnCacheControl); absent unless configured."),
            ["CDN-Cache-Control"] = Header("The same, as RFC 9213 names it."),
        };
        if (isList)
        {
            headers["Link"] = Header("RFC 8288 links to the next (and, with page, previous) page.");
        }
        else
        {
            headers["Last-Modified"] = Header("When the resource last changed; If-Modified-Since is honoured.");
        }
        return headers;
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    private static OpenApiResponse Problem(OperationFilterContext context, string schema, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            [Problems.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema, context.Document) },
        },
    };

    private static void EnsureProblemSchemas(SchemaRepository repository)
    {
        if (repository.Schemas.ContainsKey(ProblemSchema))
        {
            return;
        }
        OpenApiSchema Text(string description, JsonSchemaType type = JsonSchemaType.String) => new() { Type = type, Description = description };
        var fields = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI that identifies the kind of problem."),
            ["title"] = Text("A short summary of the kind of problem."),
            ["status"] = Text("The HTTP status code.", JsonSchemaType.Integer),
            ["detail"] = Text("What went wrong in this request, and what to change."),
            ["instance"] = Text("The path of the request."),
            ["traceId"] = Text("Identifies the request in the server's logs."),
        };
        repository.AddDefinition(ProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem description.",
            Properties = fields,
            Required = new HashSet<string> { "type", "title", "status", "traceId" },
            Examples = [JsonNode.Parse("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not found","status":404,"detail":"No article has the slug 'no-such-article'.","instance":"/v1/articles/no-such-article","traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""")!],
        });
        repository.AddDefinition(ValidationProblemSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "An RFC 9457 problem for invalid input, with the messages for each parameter or field.",
            Properties = new Dictionary<string, IOpenApiSchema>(fields)
            {
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "For each invalid parameter or field, what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
            Required = new HashSet<string> { "type", "title", "status", "traceId", "errors" },
            Examples = [JsonNode.Parse("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"The request has invalid parameters","status":400,"detail":"'limit' must be between 1 and 100. You entered 500.","instance":"/v1/articles","errors":{"limit":["'limit' must be between 1 and 100. You entered 500."]},"traceId":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}""")!],
        });
    }
}
