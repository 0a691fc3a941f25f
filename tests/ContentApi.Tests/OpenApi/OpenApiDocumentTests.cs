using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.OpenApi;

public sealed class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string RegenerateCommand = "UPDATE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests";

    private async Task<JsonElement> ServedDocumentAsync() => await api.CreateClient().GetJsonAsync("/openapi/v1.json");

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    [Fact]
    public async Task The_committed_document_is_the_served_one()
    {
        var served = JsonNode.Parse((await ServedDocumentAsync()).GetRawText())!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var committedPath = Path.Combine(Path.GetDirectoryName(TestDatabaseServer.SeedsFolder)!, "openapi", "v1.json");

        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, served + "\n");
        }

        Assert.True(File.Exists(committedPath), $"openapi/v1.json is missing. Regenerate it with: {RegenerateCommand}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Assert.True(committed == served, $"openapi/v1.json differs from the document the API serves. Regenerate it with: {RegenerateCommand}");
    }

    [Fact]
    public async Task Every_operation_is_identified_described_tagged_and_has_no_body_on_get()
    {
        var operations = Operations(await ServedDocumentAsync()).ToList();

        Assert.True(operations.Count >= 15);
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (path, method, operation) in operations)
        {
            Assert.Equal("get", method);
            Assert.False(operation.TryGetProperty("requestBody", out _), $"{path} documents a request body on GET");
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), path);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), path);
            Assert.Single(operation.GetProperty("tags").EnumerateArray());
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
            Assert.Superset(new HashSet<string> { "200", "304", "400", "500", "503" }, responses.ToHashSet());
            if (path.Contains("{slug}", StringComparison.Ordinal))
            {
                Assert.Contains("404", responses);
                Assert.Contains("301", responses);
            }
            foreach (var parameter in operation.GetProperty("parameters").EnumerateArray())
            {
                Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()), $"{path} {parameter}");
                Assert.Equal(path.Contains($"{{{parameter.GetProperty("name").GetString()}}}", StringComparison.Ordinal) ? "path" : "query",
                    parameter.GetProperty("in").GetString());
            }
        }
    }

    [Fact]
    public async Task The_article_list_documents_its_filters_with_their_limits()
    {
        var operation = (await ServedDocumentAsync()).GetProperty("paths").GetProperty("/v1/articles").GetProperty("get");
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        Assert.Equal(["limit", "cursor", "page", "section", "topic", "author", "publishedAfter", "publishedBefore", "q", "sort"], parameters.Keys);
        Assert.Equal(1, parameters["limit"].GetProperty("minimum").GetInt32());
        Assert.Equal(100, parameters["limit"].GetProperty("maximum").GetInt32());
        Assert.Equal(20, parameters["limit"].GetProperty("default").GetInt32());
        Assert.Equal("array", parameters["topic"].GetProperty("type").GetString());
        Assert.Equal(["-publishedAt", "publishedAt", "title", "relevance"], parameters["sort"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Every_documented_operation_answers_with_a_documented_status_and_media_type()
    {
        var client = api.CreateClient(new() { AllowAutoRedirect = false });
        foreach (var (path, _, operation) in Operations(await ServedDocumentAsync()))
        {
            var slug = path switch
            {
                _ when path.StartsWith("/v1/authors", StringComparison.Ordinal) => "cassie-b",
                _ when path.StartsWith("/v1/sections", StringComparison.Ordinal) => "international-affairs",
                _ when path.StartsWith("/v1/topics", StringComparison.Ordinal) => "russia",
                _ when path.StartsWith("/v1/works", StringComparison.Ordinal) => "war-just-war",
                _ => "venezuela-defies-the-us",
            };
            var query = operation.GetProperty("parameters").EnumerateArray().Any(p => p.TryGetProperty("required", out var required) && required.GetBoolean()
                && p.GetProperty("in").GetString() == "query") ? "?q=venezuela" : "";
            foreach (var url in new[] { path.Replace("{slug}", slug, StringComparison.Ordinal) + query, path.Replace("{slug}", "no-such-thing", StringComparison.Ordinal) + "?limit=0" })
            {
                var response = await client.GetAsync(url);
                var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var documented), $"{url} answered {status}, which {path} does not document");
                if (documented.TryGetProperty("content", out var content))
                {
                    Assert.True(content.TryGetProperty(response.Content.Headers.ContentType!.MediaType!, out _),
                        $"{url} answered {response.Content.Headers.ContentType} for {status}, not a documented media type");
                }
            }
        }
    }

    [Fact]
    public async Task Swagger_ui_is_served()
    {
        var response = await api.CreateClient().GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger-ui", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
