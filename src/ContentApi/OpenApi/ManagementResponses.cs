using System.Globalization;
using ContentApi.Http;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// The answers of the management API's operations as their endpoints declare them, and the API key security scheme.
/// </summary>
public static class ManagementResponses
{
    public const string SecurityScheme = "apiKey";

    public static OpenApiSecurityRequirement Requirement(OperationFilterContext context, List<string> scopes) => new()
    {
        [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = scopes,
    };

    /// <summary>
    /// The operation's answers as its endpoint declares them in Configure() (Produces and ProducesProblem, with
    /// Summary.Responses for a description of its own), plus those every management call can get from the pipeline
    /// (400, 401, 403, 429, 500, 503), in status order. Headers and parameters follow from what is declared: 201 has
    /// Location, 422 means Idempotency-Key, 428 means a required If-Match and 412 alone an optional one.
    /// </summary>
    public static void Add(OpenApiOperation operation, OperationFilterContext context, EndpointDefinition definition, List<string> scopes)
    {
        operation.Security = [Requirement(context, scopes)];
        operation.Description += $" Needs an API key with the {string.Join(" or ", scopes)} scope.";
        var declared = context.ApiDescription.SupportedResponseTypes.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.First().Type);
        var ownDescriptions = definition.EndpointSummary?.Responses ?? [];
        OpenApiResponse Declared(int status, string description) =>
            Problem(context, ownDescriptions.GetValueOrDefault(status, description), validation: status == StatusCodes.Status400BadRequest);

        var status = declared.Keys.Where(s => s is >= 200 and < 300).Min();
        var body = declared[status];
        var restore = definition.EndpointType == typeof(Manage.Versions.RestoreVersion);
        var headers = new Dictionary<string, IOpenApiHeader> { ["Cache-Control"] = Header($"Always '{ResourceWrites.PrivateNoStore}'.") };
        if (CarriesVersion(body) || restore)
        {
            headers["ETag"] = Header("The resource's version in quotes; send it as If-Match to change the resource.");
        }
        if (status == StatusCodes.Status201Created)
        {
            headers["Location"] = Header("The new resource's address in the management API.");
            headers["Idempotent-Replayed"] = Header("'true' when this is the stored answer to an earlier request with the same Idempotency-Key.");
        }
        if (body is { IsGenericType: true } list && list.GetGenericTypeDefinition() == typeof(ListResponse<>))
        {
            headers["Link"] = Header("RFC 8288 links to the next (and, with page, previous) page.");
        }
        var responses = new SortedDictionary<int, OpenApiResponse>
        {
            [status] = new()
            {
                Description = ownDescriptions.GetValueOrDefault(status, status switch
                {
                    StatusCodes.Status201Created => "Created.",
                    StatusCodes.Status202Accepted => "Queued; the delivery log shows how it went.",
                    StatusCodes.Status204NoContent => "Done; no body.",
                    _ => "The resource as it now is.",
                }),
                Headers = headers,
                Content = status == StatusCodes.Status204NoContent ? null
                    : restore ? RestoredResource(context)
                    : operation.Responses?.GetValueOrDefault(status.ToString(CultureInfo.InvariantCulture))?.Content,
            },
            [400] = Problem(context, "The id, a parameter or a body field is invalid (text holding a control character other than tab, line feed or carriage return, say); errors names each one with what to change.", validation: true),
            [401] = Unauthorized(context, "No API key, or one that is unknown, revoked or expired."),
            [403] = Problem(context, $"The key's scopes do not include {string.Join(" or ", scopes)}."),
            [429] = TooMany(context),
            [500] = Problem(context, "The server failed; traceId identifies the failure in its logs."),
            [503] = Unavailable(context),
        };
        foreach (var (code, description) in new Dictionary<int, string>
        {
            [StatusCodes.Status404NotFound] = "No resource has this id.",
            [StatusCodes.Status409Conflict] = "The slug is taken by another resource of this kind, or a referenced resource changed at the same moment.",
            [StatusCodes.Status412PreconditionFailed] = "If-Match does not name the current version: someone changed the resource since it was read.",
            [StatusCodes.Status413PayloadTooLarge] = $"The body is over {ApiSetup.MaxRequestBodyBytes / 1024} KiB.",
            [StatusCodes.Status415UnsupportedMediaType] = "The body is not sent as JSON (or, for PATCH, as a JSON merge patch).",
            [StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was used before with a different request.",
            [StatusCodes.Status428PreconditionRequired] = "If-Match is missing: send the ETag from your last read.",
        })
        {
            if (declared.ContainsKey(code))
            {
                responses[code] = Declared(code, description);
            }
        }
        if (declared.ContainsKey(StatusCodes.Status304NotModified))
        {
            responses[StatusCodes.Status304NotModified] = new OpenApiResponse { Description = "Not modified: the If-None-Match ETag is still current. No body." };
        }
        operation.Responses = new OpenApiResponses();
        foreach (var (code, response) in responses)
        {
            operation.Responses[code.ToString(CultureInfo.InvariantCulture)] = response;
        }

        if (declared.ContainsKey(StatusCodes.Status428PreconditionRequired) || declared.ContainsKey(StatusCodes.Status412PreconditionFailed))
        {
            operation.Parameters!.Add(IfMatch(required: declared.ContainsKey(StatusCodes.Status428PreconditionRequired)));
        }
        if (declared.ContainsKey(StatusCodes.Status422UnprocessableEntity))
        {
            operation.Parameters!.Add(new OpenApiParameter
            {
                Name = IdempotencyKeys.Header,
                In = ParameterLocation.Header,
                Description = "Any unique string (a UUID is a good choice). A retry with the same key and body returns the first answer and creates nothing; keys are kept for 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeys.MaxKeyLength },
            });
        }
    }

    /// <summary>A restore answers with whichever kind of resource it restored.</summary>
    private static Dictionary<string, IOpenApiMediaType> RestoredResource(OperationFilterContext context) => new()
    {
        ["application/json"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                // anyOf, not oneOf: a section and a topic have the same shape.
                AnyOf = new[] { typeof(Manage.Articles.ManagedArticle), typeof(Manage.Authors.ManagedAuthor), typeof(Manage.Sections.ManagedSection),
                        typeof(Manage.Topics.ManagedTopic), typeof(Manage.Works.ManagedWork) }
                    .Select(type => context.SchemaGenerator.GenerateSchema(type, context.SchemaRepository)).ToList(),
            },
        },
    };

    /// <summary>
    /// An answer that carries a version (itself, or in a member like a new webhook with its secret) sends it as the ETag
    /// too; a stored version does not (it never changes, and its number is not the resource's current ETag).
    /// </summary>
    private static bool CarriesVersion(Type? body) =>
        body != typeof(Manage.Versions.VersionResponse) && body?.GetProperty("Version")?.PropertyType == typeof(int)
        || body?.GetProperties().Any(p => p.PropertyType.Assembly == body.Assembly && p.PropertyType.GetProperty("Version")?.PropertyType == typeof(int)) == true;

    private static OpenApiResponse Unavailable(OperationFilterContext context)
    {
        var unavailable = Problem(context, "The database is not answering; try again after Retry-After seconds.");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        return unavailable;
    }

    private static OpenApiParameter IfMatch(bool required) => new()
    {
        Name = "If-Match",
        In = ParameterLocation.Header,
        Required = required,
        Description = required
            ? "The ETag from your last read of the resource, like \"3\". Required: it is what stops a lost update."
            : "The ETag from your last read; when sent, the change happens only if nobody changed the article since.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    public static OpenApiResponse Unauthorized(OperationFilterContext context, string description)
    {
        var response = Problem(context, description);
        response.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["WWW-Authenticate"] = Header("Bearer realm=\"ContentApi\", with error=\"invalid_token\" and a description when a key was sent but refused."),
        };
        return response;
    }

    public static OpenApiResponse TooMany(OperationFilterContext context)
    {
        var response = Problem(context, "Over the rate limit of the key (or of the client address, without a key).");
        response.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        return response;
    }

    public static OpenApiResponse Problem(OperationFilterContext context, string description, bool validation = false) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            [Problems.ContentType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(validation ? StandardResponses.ValidationProblemSchema : StandardResponses.ProblemSchema, context.Document),
            },
        },
    };

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };
}
