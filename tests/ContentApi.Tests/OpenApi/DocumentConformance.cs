using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContentApi.Tests.OpenApi;

/// <summary>
/// Checks real answers against the served OpenAPI document, as a validating proxy would: the status is documented
/// for the operation, the media type too, and the body matches that response's schema.
/// </summary>
public sealed class DocumentConformance(JsonElement document)
{
    // OpenAPI 3.1 schemas are JSON Schema 2020-12; the components become $defs of one schema per response.
    private readonly string _definitions = document.GetProperty("components").GetProperty("schemas").GetRawText()
        .Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);

    /// <summary>Every status seen, per operation, for the test to report.</summary>
    public List<string> Seen { get; } = [];

    /// <summary>The documented operation a concrete request matches: /v1/manage/topics/0198... is /v1/manage/topics/{id}.</summary>
    public (string Path, JsonElement Operation) Find(HttpMethod method, string url)
    {
        var path = url.Split('?')[0];
        // A literal segment wins over a parameter, as in routing: /v1/sitemaps/news.xml before /v1/sitemaps/{kind}.xml.
        foreach (var (template, verb, operation) in OpenApiDocumentTests.Operations(document).OrderBy(o => o.Path.Count(c => c == '{')))
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{\w+}", "[^/]+") + "$";
            if (string.Equals(verb, method.Method, StringComparison.OrdinalIgnoreCase) && Regex.IsMatch(path, pattern))
            {
                return (template, operation);
            }
        }
        throw new Xunit.Sdk.XunitException($"{method} {url} matches no operation in the document");
    }

    public async Task AssertDocumentedAsync(string path, JsonElement operation, string request, HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        Seen.Add($"{operation.GetProperty("operationId").GetString()} {status}");
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var documented),
            $"{request} answered {status}, which {path} does not document: {await response.Content.ReadAsStringAsync()}");
        if (!documented.TryGetProperty("content", out var content))
        {
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            return;
        }
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        Assert.True(content.TryGetProperty(mediaType, out var media), $"{request} answered {mediaType} for {status}, not a documented media type");

        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            // A feed: well-formed XML is what its string schema can promise.
            System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync());
            return;
        }
        var schema = Json.Schema.JsonSchema.FromText(
            $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{_definitions}},"allOf":[{{media.GetProperty("schema").GetRawText().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal)}}]}""");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var result = schema.Evaluate(body, new Json.Schema.EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(result.IsValid, $"{request} ({status}) does not match its documented schema: " +
            string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    /// <summary>Sends the request and checks the answer against the operation it matches.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var description = $"{request.Method} {request.RequestUri}";
        var (path, operation) = Find(request.Method, request.RequestUri!.OriginalString);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        await AssertDocumentedAsync(path, operation, description, response);
        return response;
    }
}
