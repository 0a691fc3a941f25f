using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ContentApi.Http;
using FluentValidation;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Manage;

/// <summary>
/// Reads a write's JSON body the strict way: the right media type (else 415), at most 1 MB (else 413), well-formed
/// JSON, no fields the resource does not have (server-owned ones such as id included), values of the right type,
/// then the resource's validator. Every refusal is a problem document that names the field and what to change.
/// </summary>
public static partial class JsonBody
{
    public const string MergePatchType = "application/merge-patch+json";

    /// <summary>Like the API's output rules, but a field the resource does not have is an error, not ignored.</summary>
    public static readonly JsonSerializerOptions Strict = new(ApiJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(), // its contracts are what unknown fields and types are checked against
    };

    public sealed record Body(JsonNode Json, byte[] Bytes);

    /// <summary>The body as JSON, or the problem that refuses it.</summary>
    public static async Task<(Body? Body, IResult? Problem)> ReadAsync(HttpContext http, bool mergePatch, CancellationToken ct)
    {
        var request = http.Request;
        var accepted = mergePatch ? new[] { MergePatchType, "application/json" } : ["application/json"];
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !accepted.Contains(mediaType.MediaType.Value, StringComparer.OrdinalIgnoreCase))
        {
            http.Response.Headers[mergePatch ? "Accept-Patch" : "Accept-Post"] = string.Join(", ", accepted);
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Send the body as {string.Join(" or ", accepted)}{(request.ContentType is null ? "" : $", not {request.ContentType}")}."));
        }
        if (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "JSON bodies must be UTF-8."));
        }

        var bytes = await ReadCappedAsync(request, ct);
        if (bytes is null)
        {
            return (null, TooLarge());
        }
        try
        {
            var json = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            if (json is null)
            {
                return (null, Invalid("body", "The body is JSON null; send an object."));
            }
            return FindUnstorable(json) is { } found
                ? (null, Invalid(found.Field, found.Message))
                : (new Body(json, bytes), null);
        }
        catch (JsonException ex)
        {
            return (null, Invalid("body", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}); check quotes, commas and brackets there."));
        }
        catch (InvalidOperationException) // a property name with half a surrogate pair, found while reading the names
        {
            return (null, Invalid("body", "A property name holds half of a surrogate pair (an escaped \\uD800 to \\uDFFF without its partner); send whole characters."));
        }
    }

    /// <summary>Reads, binds and validates a POST or PUT body in one go.</summary>
    public static async Task<(Body? Body, T? Input, IResult? Problem)> ReadInputAsync<T>(HttpContext http, IValidator<T> validator,
        CancellationToken ct) where T : class
    {
        var (body, problem) = await ReadAsync(http, mergePatch: false, ct);
        if (body is null)
        {
            return (null, null, problem);
        }
        var (input, invalid) = await BindAsync(body.Json, validator, ct);
        return (body, input, invalid);
    }

    /// <summary>Reads a JSON Merge Patch (RFC 7396), applies it to the resource's current input, then binds and validates that.</summary>
    public static async Task<(T? Input, IResult? Problem)> ReadPatchAsync<T>(HttpContext http, T current, IValidator<T> validator,
        CancellationToken ct) where T : class
    {
        var (body, unreadable) = await ReadAsync(http, mergePatch: true, ct);
        if (body is null)
        {
            return (null, unreadable);
        }
        if (body.Json is not JsonObject)
        {
            return (null, Invalid("body", "A merge patch is a JSON object of the fields to change."));
        }
        return await BindAsync(MergePatch.Apply(JsonSerializer.SerializeToNode(current, ApiJson.Options), body.Json)!, validator, ct);
    }

    /// <summary>Turns JSON into the resource's input and validates it; the problem says which fields to fix.</summary>
    public static async Task<(T? Input, IResult? Problem)> BindAsync<T>(JsonNode json, IValidator<T> validator, CancellationToken ct)
        where T : class
    {
        if (json is not JsonObject)
        {
            return (null, Invalid("body", $"The body must be a JSON object, not {Describe(json)}."));
        }
        if (FindUnknownField(json, typeof(T), "") is { } unknown)
        {
            return (null, Invalid(unknown.Field, unknown.Message));
        }
        T? input;
        try
        {
            input = json.Deserialize<T>(Strict);
        }
        catch (JsonException ex)
        {
            // The path names the field whose value did not fit; its declared type says what would have.
            var field = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, $"'{field}' must be {Expected(TypeAt(typeof(T), ex.Path))}."));
        }
        var result = await validator.ValidateAsync(input!, ct);
        if (!result.IsValid)
        {
            var errors = result.Errors
                .GroupBy(e => CamelCasePath(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
            return (null, Problems.BadRequest(errors));
        }
        return (input, null);
    }

    /// <summary>
    /// The first name or string in the JSON holding a character no text field may store (see
    /// <see cref="ValidationRules.IndexOfUnstorable"/>), checked here once for every field of every resource.
    /// </summary>
    private static (string Field, string Message)? FindUnstorable(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (ValidationRules.IndexOfUnstorable(name) is var at and >= 0)
                    {
                        var field = ValidationRules.ReplaceUnstorable(name);
                        return (field, ValidationRules.UnstorableMessage(field, name, at));
                    }
                    if (value is not null && FindUnstorable(value) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                return array.Select(item => item is null ? null : FindUnstorable(item)).FirstOrDefault(found => found is not null);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var path = value.GetPath().TrimStart('$', '.') is { Length: > 0 } inner ? inner : "body";
                string text;
                try
                {
                    text = value.GetValue<string>();
                }
                catch (InvalidOperationException) // an escaped \uD800-\uDFFF without its other half
                {
                    return (path, $"'{path}' holds half of a surrogate pair (an escaped \\uD800 to \\uDFFF without its partner); send whole characters.");
                }
                return ValidationRules.IndexOfUnstorable(text) is var index and >= 0 ? (path, ValidationRules.UnstorableMessage(path, text, index)) : null;
            default:
                return null;
        }
    }

    public static IResult Invalid(string field, string message) =>
        Problems.BadRequest(new Dictionary<string, string[]> { [field] = [message] });

    private static IResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Content too large",
        $"Request bodies are limited to {ApiSetup.MaxRequestBodyBytes / 1024} KiB.");

    /// <summary>The body, or null when it is over the limit (checked while reading, whatever Content-Length says).</summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, CancellationToken ct)
    {
        var limit = ApiSetup.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The first member of the JSON that the input type does not have, found by walking the JSON beside the
    /// serializer's own contract for the type (so names are compared exactly as it would bind them).
    /// </summary>
    private static (string Field, string Message)? FindUnknownField(JsonNode? node, Type type, string path)
    {
        var contract = Strict.GetTypeInfo(type);
        switch (node)
        {
            case JsonObject obj when contract.Kind == JsonTypeInfoKind.Object:
                foreach (var (name, value) in obj)
                {
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    var property = contract.Properties.FirstOrDefault(p => string.Equals(p.Name, name, NameComparison));
                    if (property is null)
                    {
                        return (field, ServerOwned.Contains(name)
                            ? $"'{name}' is set by the server and cannot be written; leave it out."
                            : $"'{field}' is not a field of this resource; check the spelling against the schema.");
                    }
                    if (FindUnknownField(value, property.PropertyType, field) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array when contract.Kind == JsonTypeInfoKind.Enumerable:
                return array.Select((item, i) => FindUnknownField(item, contract.ElementType!, $"{path}[{i}]"))
                    .FirstOrDefault(found => found is not null);
            default:
                return null; // a value of the wrong kind is the deserializer's to report
        }
    }

    /// <summary>The declared type at a JSON path like $.figures[0].url, read from the serializer's contract.</summary>
    private static Type TypeAt(Type root, string? path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path ?? ""))
        {
            var contract = Strict.GetTypeInfo(type);
            type = segment.Groups["index"].Success
                ? contract.ElementType ?? type
                : contract.Properties.FirstOrDefault(p => string.Equals(p.Name, NameIn(segment), NameComparison))?.PropertyType ?? type;
        }
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    // Names bind as the serializer binds them (the web defaults ignore case).
    private static StringComparison NameComparison =>
        Strict.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static string NameIn(Match segment) => segment.Groups["name"].Success
        ? segment.Groups["name"].Value
        : segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    private static readonly HashSet<string> ServerOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "createdAt", "updatedAt", "version", "status", "publishedAt", "wordCount", "readingMinutes", "bodyHtml",
        "url", "formerSlugs",
    };

    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(Guid) => "a UUID string",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(DateTimeOffset) => "an ISO 8601 time with an offset, like 2027-01-01T09:00:00Z",
        _ when type == typeof(DateOnly) => "a date like 2026-02-05",
        { IsEnum: true } => "one of: " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant())),
        _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
        _ => "an object",
    };

    private static string Describe(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "true or false",
    };

    // "Image.Url" and "AuthorIds[0]" as a client writes them: "image.url", "authorIds[0]".
    private static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
