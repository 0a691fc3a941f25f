using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using ContentApi.Http;
using FastEndpoints;
using Microsoft.Net.Http.Headers;

namespace ContentApi.Manage;

/// <summary>
/// For PUT and PATCH: the resource the route names, as its input shape, once its id, its existence and If-Match are
/// checked; or the problem (400, 404, 412, 428) that answers instead.
/// </summary>
public delegate Task<(T? Input, IResult? Problem)> CurrentInput<T>(HttpContext http, CancellationToken ct) where T : class;

/// <summary>
/// The request binder of every write whose body is a resource's JSON (named in the endpoint's Configure()). It reads
/// the body the strict way <see cref="JsonBody"/> describes; a refusal is sent as it is and stops the request before
/// validation and the handler.
/// </summary>
public sealed class JsonBodyBinder<T>(CurrentInput<T>? current = null) : IRequestBinder<T> where T : class
{
    public async ValueTask<T> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        var (input, problem) = await JsonBody.ReadAsync(ctx.HttpContext, current, ct);
        if (input is not null)
        {
            return input;
        }
        await ctx.HttpContext.Response.SendResultAsync(problem!);
        throw new ValidationFailureException(ctx.ValidationFailures, "The body was refused; the problem has been sent.");
    }
}

/// <summary>
/// The binder of an action whose body may be left out (publish): no body at all is the empty request, as before the
/// body existed; one that is sent is read as strictly as any write's.
/// </summary>
public sealed class OptionalJsonBodyBinder<T> : IRequestBinder<T> where T : class, new()
{
    private readonly JsonBodyBinder<T> sent = new();

    public ValueTask<T> BindAsync(BinderContext ctx, CancellationToken ct)
    {
        var request = ctx.HttpContext.Request;
        var empty = request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));
        return empty ? ValueTask.FromResult(new T()) : sent.BindAsync(ctx, ct);
    }
}

/// <summary>
/// Reads a write's JSON body the strict way: the right media type (else 415), at most 1 MB (else 413), well-formed
/// JSON, no fields the resource does not have (server-owned ones such as id included), values of the right type.
/// Every refusal is a problem document that names the field and what to change. What the values must be is the
/// resource's validator's to say, run by the FastEndpoints pipeline after binding.
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

    private sealed record Body(JsonNode Json, byte[] Bytes);

    /// <summary>The body as JSON, or the problem that refuses it.</summary>
    private static async Task<(Body? Body, IResult? Problem)> ReadJsonAsync(HttpContext http, bool mergePatch, CancellationToken ct)
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

    /// <summary>
    /// The write's input, or the problem that refuses the request. With <paramref name="current"/> (PUT and PATCH), the
    /// resource the route names is found and If-Match checked before the body is read; a PATCH body is a JSON Merge
    /// Patch (RFC 7396) applied to that resource's current input. The result is not validated here: the endpoint's
    /// validator runs next, in the FastEndpoints pipeline.
    /// </summary>
    public static async Task<(T? Input, IResult? Problem)> ReadAsync<T>(HttpContext http, CurrentInput<T>? current,
        CancellationToken ct) where T : class
    {
        T? currentInput = null;
        if (current is not null)
        {
            IResult? stopped;
            (currentInput, stopped) = await current(http, ct);
            if (currentInput is null)
            {
                return (null, stopped);
            }
        }
        var mergePatch = HttpMethods.IsPatch(http.Request.Method);
        var (body, unreadable) = await ReadJsonAsync(http, mergePatch, ct);
        if (body is null)
        {
            return (null, unreadable);
        }
        http.Items[BytesKey] = body.Bytes;
        if (!mergePatch)
        {
            return Bind<T>(body.Json);
        }
        if (body.Json is not JsonObject)
        {
            return (null, Invalid("body", "A merge patch is a JSON object of the fields to change."));
        }
        return Bind<T>(MergePatch.Apply(JsonSerializer.SerializeToNode(currentInput, ApiJson.Options), body.Json)!);
    }

    /// <summary>The body's bytes as they came, once the binder has read them (the Idempotency-Key fingerprint is taken over them).</summary>
    public static byte[] BytesRead(HttpContext http) => (byte[])http.Items[BytesKey]!;

    private static readonly object BytesKey = new();

    /// <summary>Turns JSON into the resource's input; the problem names the field that does not fit and what would.</summary>
    private static (T? Input, IResult? Problem) Bind<T>(JsonNode json) where T : class
    {
        if (json is not JsonObject)
        {
            return (null, Invalid("body", $"The body must be a JSON object, not {Describe(json)}."));
        }
        if (FindUnknownField(json, typeof(T), "") is { } unknown)
        {
            return (null, Invalid(unknown.Field, unknown.Message));
        }
        try
        {
            return (json.Deserialize<T>(Strict), null);
        }
        catch (JsonException ex)
        {
            // The path names the field whose value did not fit; its declared type says what would have.
            var field = ex.Path is null or "$" ? "body" : ex.Path.TrimStart('$', '.');
            return (null, Invalid(field, $"'{field}' must be {Expected(TypeAt(typeof(T), ex.Path))}."));
        }
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
}
