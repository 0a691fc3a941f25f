using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.OpenApi;

public sealed class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const string RegenerateCommand = "UPDATE_OPENAPI=1 dotnet test --filter FullyQualifiedName~OpenApiDocumentTests";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// One real answer per operation from the seeded API, for the document's examples: lists cut to two items and
    /// long texts shortened, so that the examples stay readable.
    /// </summary>
    private async Task<string> CaptureExamplesAsync()
    {
        var client = api.ClientWithKey(await api.CreateKeyAsync("examples", "admin"));
        var examples = new JsonObject();
        foreach (var (path, method, operation) in Operations(await ServedDocumentAsync()).OrderBy(o => o.Operation.GetProperty("operationId").GetString(), StringComparer.Ordinal))
        {
            if (method != "get" || path is "/v1/manage/keys" || path.StartsWith("/v1/manage/webhooks", StringComparison.Ordinal) || path.Contains("{format}", StringComparison.Ordinal) || path.EndsWith(".xml", StringComparison.Ordinal))
            {
                continue; // writes have no seeded answer to show, keys and webhooks differ on every run, feeds and sitemaps are not JSON
            }
            var url = path.Contains("/versions", StringComparison.Ordinal) ? await VersionSampleUrlAsync(client, path)
                : path.StartsWith("/v1/manage/", StringComparison.Ordinal) ? await ManagedSampleUrlAsync(client, path)
                : SampleUrls(path, operation).First();
            examples[operation.GetProperty("operationId").GetString()!] = Shorten(JsonNode.Parse(await client.GetStringAsync(url)));
        }
        return examples.ToJsonString(Indented);
    }

    private static JsonNode? Shorten(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    obj[key] = Shorten(value?.DeepClone());
                }
                return obj;
            case JsonArray array:
                return new JsonArray(array.Take(2).Select(item => Shorten(item?.DeepClone())).ToArray());
            case JsonValue value when value.TryGetValue<string>(out var text) && text.Length > 240:
                return JsonValue.Create(text[..240] + "…");
            default:
                return node;
        }
    }

    /// <summary>A management GET for a seeded resource: the list, or the first item of it by id.</summary>
    private static async Task<string> ManagedSampleUrlAsync(HttpClient client, string path)
    {
        var list = path.Replace("/{id}", "", StringComparison.Ordinal);
        if (list == path)
        {
            return list;
        }
        var items = (await client.GetJsonAsync($"{list}?limit=100")).GetProperty("items").EnumerateArray();
        var seeded = items.OrderBy(i => i.GetProperty("slug").GetString(), StringComparer.Ordinal)
            .First(i => i.GetProperty("slug").GetString() is "venezuela-defies-the-us" or "cassie-b" or "international-affairs" or "russia" or "war-just-war");
        return $"{list}/{seeded.GetProperty("id").GetGuid()}";
    }

    private (string Url, int First, int Second)? _versioned;

    /// <summary>
    /// A versions GET for a seeded article no other example shows, given two edits here (the seed itself stores no versions): a new title,
    /// then a paragraph added to the body, so that the diff example shows a line diff.
    /// </summary>
    private async Task<string> VersionSampleUrlAsync(HttpClient client, string path)
    {
        if (_versioned is null)
        {
            var url = await client.ManagedUrlAsync("articles", "china-russia-trade-in-yuan");
            var (article, etag) = await client.GetWithETagAsync(url);
            var retitled = await client.PatchJsonAsync(url, new { title = "China and Russia trade in yuan" }, etag);
            var extended = await client.PatchJsonAsync(url,
                new { body = article.GetProperty("body").GetString() + "\n\nA paragraph added in a later edit." }, retitled.Headers.ETag!.ToString());
            _versioned = (url, (await retitled.ReadJsonAsync()).GetProperty("version").GetInt32(),
                (await extended.ReadJsonAsync()).GetProperty("version").GetInt32());
        }
        var (articleUrl, first, second) = _versioned.Value;
        return path.Replace("/v1/manage/{kind}/{id}", articleUrl, StringComparison.Ordinal)
            .Replace("{version}", second.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{a}", first.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{b}", second.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private async Task<JsonElement> ServedDocumentAsync() => await api.CreateClient().GetJsonAsync("/openapi/v1.json");

    internal static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    [Fact]
    public async Task The_committed_document_is_the_served_one()
    {
        var folder = Path.Combine(Path.GetDirectoryName(TestDatabaseServer.SeedsFolder)!, "openapi");
        var committedPath = Path.Combine(folder, "v1.json");
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "examples.json"), await CaptureExamplesAsync() + "\n");
        }
        var served = JsonNode.Parse((await ServedDocumentAsync()).GetRawText())!.ToJsonString(Indented);
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, served + "\n");
        }

        Assert.True(File.Exists(committedPath), $"openapi/v1.json is missing. Regenerate it with: {RegenerateCommand}");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(committedPath))!.ToJsonString(Indented);
        Assert.True(committed == served, $"openapi/v1.json differs from the document the API serves. Regenerate it with: {RegenerateCommand}");
    }

    [Fact]
    public async Task Management_operations_name_only_scopes_a_key_can_have()
    {
        string[] scopes = [ContentApi.Keys.ApiScopes.Preview, ContentApi.Keys.ApiScopes.Write, ContentApi.Keys.ApiScopes.Admin];
        foreach (var (path, method, operation) in Operations(await ServedDocumentAsync()).Where(o => o.Path.StartsWith("/v1/manage/", StringComparison.Ordinal)))
        {
            var required = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject())
                .SelectMany(r => r.Value.EnumerateArray().Select(s => s.GetString()!)).ToList();
            Assert.NotEmpty(required);
            Assert.All(required, scope => Assert.True(scopes.Contains(scope), $"{method} {path} names the scope {scope}"));
            var description = operation.GetProperty("description").GetString()!;
            Assert.EndsWith($"Needs an API key with the {string.Join(" or ", required)} scope.", description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_operation_is_identified_described_tagged_and_has_no_body_on_get()
    {
        var operations = Operations(await ServedDocumentAsync()).ToList();

        Assert.True(operations.Count >= 50);
        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (path, method, operation) in operations)
        {
            var where = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), where);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), where);
            Assert.Single(operation.GetProperty("tags").EnumerateArray());
            Assert.True(operation.TryGetProperty("security", out _), $"{where} says nothing of keys");
            var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "400", "401", "403", "429", "500", "503" }, responses);
            if (method == "get")
            {
                Assert.False(operation.TryGetProperty("requestBody", out _), $"{where} documents a request body on GET");
                Assert.Contains("200", responses);
            }
            if (path.StartsWith("/v1/manage", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("{}", operation.GetProperty("security").GetRawText(), StringComparison.Ordinal); // a key is required
                Assert.Contains(path.Contains("{id}", StringComparison.Ordinal) ? "404" : "400", responses);
                if (method is "put" or "patch" or "delete" && !path.StartsWith("/v1/manage/keys", StringComparison.Ordinal))
                {
                    Assert.Superset(new HashSet<string> { "412", "428" }, responses);
                }
                if (method is "post" or "put" or "patch" && operation.TryGetProperty("requestBody", out _))
                {
                    Assert.Superset(new HashSet<string> { "413", "415" }, responses);
                }
            }
            else
            {
                Assert.Superset(new HashSet<string> { "200", "304" }, responses);
            }
            if (path.Contains("{slug}", StringComparison.Ordinal))
            {
                Assert.Contains("404", responses);
                Assert.Contains("301", responses);
            }
            var parameters = operation.TryGetProperty("parameters", out var declared) ? declared.EnumerateArray().ToList() : [];
            foreach (var parameter in parameters)
            {
                Assert.False(string.IsNullOrWhiteSpace(parameter.GetProperty("description").GetString()), $"{where} {parameter}");
                var location = parameter.GetProperty("in").GetString();
                var name = parameter.GetProperty("name").GetString()!;
                Assert.Equal(path.Contains($"{{{name}}}", StringComparison.Ordinal) ? "path" : name is "If-Match" or "Idempotency-Key" ? "header" : "query", location);
            }
        }
    }

    [Fact]
    public async Task The_article_list_documents_its_filters_with_their_limits()
    {
        var operation = (await ServedDocumentAsync()).GetProperty("paths").GetProperty("/v1/articles").GetProperty("get");
        var parameters = operation.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));

        Assert.Equal(["limit", "cursor", "page", "section", "topic", "author", "publishedAfter", "publishedBefore", "q", "sort", "facets", "preview"], parameters.Keys);
        Assert.Equal(1, parameters["limit"].GetProperty("minimum").GetInt32());
        Assert.Equal(100, parameters["limit"].GetProperty("maximum").GetInt32());
        Assert.Equal(20, parameters["limit"].GetProperty("default").GetInt32());
        Assert.Equal("array", parameters["topic"].GetProperty("type").GetString());
        Assert.Equal(["-publishedAt", "publishedAt", "title", "relevance"], parameters["sort"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Every_answer_has_a_documented_status_media_type_and_body_schema()
    {
        var document = await ServedDocumentAsync();
        var conformance = new DocumentConformance(document);
        var client = api.CreateClient(new() { AllowAutoRedirect = false });
        var checkedAnswers = 0;

        foreach (var (path, _, operation) in Operations(document).Where(o => o.Method == "get" && !o.Path.StartsWith("/v1/manage", StringComparison.Ordinal)))
        {
            foreach (var url in SampleUrls(path, operation))
            {
                await conformance.AssertDocumentedAsync(path, operation, url, await client.GetAsync(url));
                checkedAnswers++;
            }
        }
        Assert.True(checkedAnswers >= 50, $"only {checkedAnswers} answers were checked");
    }

    /// <summary>Requests that reach each kind of answer an operation documents: success, 400, 404 and 301.</summary>
    private static IEnumerable<string> SampleUrls(string path, JsonElement operation)
    {
        var slug = path switch
        {
            _ when path.StartsWith("/v1/authors", StringComparison.Ordinal) => "cassie-b",
            _ when path.StartsWith("/v1/sections", StringComparison.Ordinal) => "international-affairs",
            _ when path.StartsWith("/v1/topics", StringComparison.Ordinal) => "russia",
            _ when path.StartsWith("/v1/works", StringComparison.Ordinal) => "war-just-war",
            _ => "venezuela-defies-the-us",
        };
        var parameters = operation.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet();
        var required = parameters.Contains("q") && path is "/v1/search" or "/v1/search/suggest" ? "q=venezuela&" : "";
        // Facets, where a list has them, so that the examples show them and their schema is checked.
        required += parameters.Contains("facets") ? "facets=section,topic:3,year&" : "";
        var real = path.Replace("{slug}", slug, StringComparison.Ordinal).Replace("{format}", "json", StringComparison.Ordinal)
            .Replace("{page}", "1", StringComparison.Ordinal).Replace("{kind}", "topics", StringComparison.Ordinal);
        yield return $"{real}?{required}".TrimEnd('?', '&');
        if (parameters.Contains("limit"))
        {
            yield return $"{real}?{required}limit=2";
            yield return $"{real}?{required}limit=0";
        }
        if (parameters.Contains("page"))
        {
            yield return $"{real}?{required}limit=2&page=2";
        }
        if (parameters.Contains("q") && path != "/v1/search")
        {
            yield return $"{real}?q=oil%20or%20war";
        }
        yield return $"{real}{(real.Contains('?', StringComparison.Ordinal) ? "&" : "?")}unknown=1";
        if (path.Contains("{format}", StringComparison.Ordinal))
        {
            yield return real.Replace("feed.json", "feed.rss", StringComparison.Ordinal).Replace("articles.json", "articles.rss", StringComparison.Ordinal);
            yield return real.Replace("feed.json", "feed.atom", StringComparison.Ordinal).Replace("articles.json", "articles.atom", StringComparison.Ordinal);
            yield return real.Replace("feed.json", "feed.pdf", StringComparison.Ordinal).Replace("articles.json", "articles.pdf", StringComparison.Ordinal);
        }
        if (path.Contains("{page}", StringComparison.Ordinal))
        {
            yield return path.Replace("{page}", "0", StringComparison.Ordinal);
            yield return path.Replace("{page}", "999", StringComparison.Ordinal);
        }
        if (path.Contains("{slug}", StringComparison.Ordinal))
        {
            yield return path.Replace("{slug}", "no-such-thing", StringComparison.Ordinal).Replace("{format}", "json", StringComparison.Ordinal);
            yield return path.Replace("{slug}", "Not_A_Slug", StringComparison.Ordinal).Replace("{format}", "json", StringComparison.Ordinal);
        }
        if (path.StartsWith("/v1/articles/{slug}", StringComparison.Ordinal))
        {
            yield return path.Replace("{slug}", "venezuela-defies-us", StringComparison.Ordinal); // former slug: 301
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
