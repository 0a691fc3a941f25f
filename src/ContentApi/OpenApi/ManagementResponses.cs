using ContentApi.Http;
using ContentApi.Manage;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// The answers of the management API's operations, which come from its shared write rules (keys and scopes,
/// If-Match, Idempotency-Key, body limits, slugs) rather than from one endpoint, and the API key security scheme.
/// </summary>
public static class ManagementResponses
{
    public const string SecurityScheme = "apiKey";

    public static OpenApiSecurityRequirement Requirement(OperationFilterContext context, List<string> scopes) => new()
    {
        [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = scopes,
    };

    public static void Add(OpenApiOperation operation, OperationFilterContext context, Type endpointType, string verb, List<string> scopes)
    {
        var name = endpointType.Name;
        operation.Security = [Requirement(context, scopes)];
        operation.Description += $" Needs an API key with the {string.Join(" or ", scopes)} scope.";
        var responses = operation.Responses ??= new OpenApiResponses();
        var success = responses.TryGetValue("200", out var ok) ? ok as OpenApiResponse : null;
        responses.Remove("200");

        var isCreate = verb == "POST" && (name.StartsWith("Create", StringComparison.Ordinal) || name == "RegisterWebhook");
        var isQueued = name == "TestWebhook";
        var isLifecycle = verb == "POST" && !isCreate && !isQueued;
        var noContent = verb == "DELETE";
        var hasId = (context.ApiDescription.RelativePath ?? "").Contains("{id}", StringComparison.Ordinal);
        // Keys and webhooks have no slug and no references: fewer ways to conflict.
        var isAdminResource = name.EndsWith("Key", StringComparison.Ordinal) || name.EndsWith("Keys", StringComparison.Ordinal)
                              || name.Contains("Webhook", StringComparison.Ordinal);
        var status = isCreate ? "201" : isQueued ? "202" : noContent ? "204" : "200";
        var headers = new Dictionary<string, IOpenApiHeader> { ["Cache-Control"] = Header($"Always '{ResourceWrites.PrivateNoStore}'.") };
        if (name is not ("CreateKey" or "TestWebhook") && !noContent && !name.StartsWith("List", StringComparison.Ordinal))
        {
            headers["ETag"] = Header("The resource's version in quotes; send it as If-Match to change the resource.");
        }
        if (isCreate)
        {
            headers["Location"] = Header("The new resource's address in the management API.");
            headers["Idempotent-Replayed"] = Header("'true' when this is the stored answer to an earlier request with the same Idempotency-Key.");
        }
        if (name.StartsWith("List", StringComparison.Ordinal) && name is not ("ListKeys" or "ListWebhooks"))
        {
            headers["Link"] = Header("RFC 8288 links to the next (and, with page, previous) page.");
        }
        responses[status] = new OpenApiResponse
        {
            Description = isCreate ? "Created." : isQueued ? "Queued; the delivery log shows how it went." : noContent ? "Done; no body." : "The resource as it now is.",
            Headers = headers,
            Content = noContent ? null : success?.Content,
        };

        if (verb == "GET" && hasId && !name.StartsWith("List", StringComparison.Ordinal))
        {
            responses["304"] = new OpenApiResponse { Description = "Not modified: the If-None-Match ETag is still current. No body." };
        }
        responses["400"] = Problem(context, "The id, a parameter or a body field is invalid (text holding a control character other than tab, line feed or carriage return, say); errors names each one with what to change.", validation: true);
        responses["401"] = Unauthorized(context, "No API key, or one that is unknown, revoked or expired.");
        responses["403"] = Problem(context, $"The key's scopes do not include {string.Join(" or ", scopes)}.");
        if (hasId)
        {
            responses["404"] = Problem(context, "No resource has this id.");
        }
        if (verb is "POST" or "PUT" or "PATCH" && !isAdminResource)
        {
            responses["409"] = Problem(context, "The slug is taken by another resource of this kind, or a referenced resource changed at the same moment.");
        }
        if (verb is "PUT" or "PATCH" or "DELETE" && name != "RevokeKey" || isLifecycle)
        {
            responses["412"] = Problem(context, "If-Match does not name the current version: someone changed the resource since it was read.");
        }
        if (verb is "DELETE" && !isAdminResource)
        {
            responses["409"] = Problem(context, "Articles or works still use the resource; detail names them.");
        }
        if (verb is "PUT" or "PATCH" or "DELETE" && name != "RevokeKey")
        {
            responses["428"] = Problem(context, "If-Match is missing: send the ETag from your last read.");
            operation.Parameters!.Add(IfMatch(required: true));
        }
        else if (isLifecycle)
        {
            operation.Parameters!.Add(IfMatch(required: false));
        }
        if (operation.RequestBody is not null)
        {
            responses["413"] = Problem(context, $"The body is over {ApiSetup.MaxRequestBodyBytes / 1024} KiB.");
            responses["415"] = Problem(context, "The body is not sent as JSON (or, for PATCH, as a JSON merge patch).");
        }
        if (isCreate)
        {
            responses["422"] = Problem(context, "The Idempotency-Key was used before with a different request.");
            operation.Parameters!.Add(new OpenApiParameter
            {
                Name = IdempotencyKeys.Header,
                In = ParameterLocation.Header,
                Description = "Any unique string (a UUID is a good choice). A retry with the same key and body returns the first answer and creates nothing; keys are kept for 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = IdempotencyKeys.MaxKeyLength },
            });
        }
        responses["429"] = TooMany(context);
        responses["500"] = Problem(context, "The server failed; traceId identifies the failure in its logs.");
        var unavailable = Problem(context, "The database is not answering; try again after Retry-After seconds.");
        unavailable.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        responses["503"] = unavailable;
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
