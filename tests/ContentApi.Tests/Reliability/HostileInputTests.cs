using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using ContentApi.Tests.OpenApi;
using CsCheck;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// Ten thousand generated requests across every operation in the OpenAPI document, valid and hostile: random
/// unicode, control characters, huge numbers, SQL and HTML fragments, malformed JSON, wrong types and media types,
/// oversized bodies. None may get a 5xx; every 4xx is problem+json; every answer's status is documented for its
/// operation and every 2xx matches its schema.
/// </summary>
/// Real Kestrel on loopback: its own request parsing (a %00 in a path, an oversized body) is part of what is tested.
[Trait("Category", "Slow")]
public sealed class HostileInputTests(KestrelApi api, ITestOutputHelper output) : IClassFixture<KestrelApi>
{
    private const int Requests = 10_000;

    private sealed record Operation(string Path, string Method, string[] PathParameters, (string Name, JsonElement Schema)[] Query,
        string? BodySchema, string[] MediaTypes, JsonElement Definition);

    /// <summary>One generated request, before it is bound to an operation's real values.</summary>
    private sealed record Probe(int Operation, string?[] PathValues, (int Parameter, string Value)[] Query, string? UnknownParameter,
        int BodyKind, string Hostile, int MediaType, bool WithKey)
    {
        public override string ToString() =>
            $"op {Operation}, path [{string.Join(", ", PathValues)}], query [{string.Join(", ", Query)}], unknown {UnknownParameter}, body {BodyKind}, hostile {Hostile}, media {MediaType}, key {WithKey}";
    }

    private static readonly string[] Nasty =
    [
        "' OR 1=1 --", "'; DROP TABLE articles; --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\u0000", "\u0001\u001f",
        "../../etc/passwd", "%00", "%", "%zz", "𝕏😀👍🏽", "\u202e\u200b", "\t\r\n", "null", "true", "[]", "{}", "-1", "0", "-0", "1e309",
        "NaN", "99999999999999999999999999", "2147483648", "-2147483649", "2026-13-45", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        "a,b,,c", "*", "\\", "\"", "ＡＢＣ", "ı", "ß", "01a20fea-6c5f-755f-ac41-addc9bc19539", "00000000-0000-0000-0000-000000000000",
    ];

    private static readonly Gen<string> Hostile = Gen.Frequency(
        (4, Gen.OneOf(Nasty.Select(Gen.Const).ToArray())),
        (3, Gen.String[Gen.Char, 1, 40]),
        (2, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Int[1000, 12_000].Select(n => new string('x', n))));

    [Fact]
    public async Task Ten_thousand_generated_requests_get_no_5xx_only_problem_4xx_and_documented_2xx()
    {
        var address = new Uri(api.Start());
        var secret = await api.CreateKeyAsync("fuzzer", "admin");
        using var anonymous = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        using var keyed = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = address };
        keyed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var document = await anonymous.GetJsonAsync("/openapi/v1.json");
        var conformance = new DocumentConformance(document);
        var operations = OpenApiDocumentTests.Operations(document).Select(o => new Operation(
            o.Path, o.Method.ToUpperInvariant(),
            o.Operation.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()!).ToArray() : [],
            o.Operation.TryGetProperty("parameters", out var qs) ? qs.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("schema"))).ToArray() : [],
            o.Operation.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().First().Value.GetProperty("schema").ToString() : null,
            o.Operation.TryGetProperty("requestBody", out var media) ? media.GetProperty("content").EnumerateObject().Select(m => m.Name).ToArray() : [],
            o.Operation)).ToArray();
        var valid = await ValidValuesAsync(keyed);

        var gen =
            from operation in Gen.Int[0, operations.Length - 1]
            from pathValues in Gen.Frequency((3, Gen.Const((string?)null)), (2, Hostile.Select(s => (string?)s))).Array[2]
            from query in Gen.Select(Gen.Int[0, 20], Hostile).Array[0, 4]
            from unknown in Gen.Frequency((9, Gen.Const((string?)null)), (1, Hostile.Select(s => (string?)s)))
            from bodyKind in Gen.Int[0, 9]
            from hostile in Hostile
            from mediaType in Gen.Int[0, 9]
            from withKey in Gen.Frequency((9, Gen.Const(true)), (1, Gen.Const(false)))
            select new Probe(operation, pathValues, query, unknown, bodyKind, hostile, mediaType, withKey);

        var statuses = new ConcurrentDictionary<int, int>();
        var refusedByKestrel = 0;
        var perOperation = new ConcurrentDictionary<string, int>();
        await gen.SampleAsync(async probe =>
        {
            var operation = operations[probe.Operation];
            var request = Build(operation, probe, valid);
            var description = $"{request.Method} {request.RequestUri} ({probe})";
            var response = await (probe.WithKey ? keyed : anonymous).SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            perOperation.AddOrUpdate($"{operation.Definition.GetProperty("operationId").GetString()} {status}", 1, (_, n) => n + 1);

            Assert.True(status < 500, $"{description} answered {status}: {await response.Content.ReadAsStringAsync()}");
            if (status == 400 && request.RequestUri!.OriginalString.Split('?')[0].Contains("%00", StringComparison.Ordinal))
            {
                // Kestrel itself refuses a NUL in the path, with an empty 400, before any of the API runs.
                Interlocked.Increment(ref refusedByKestrel);
                return;
            }
            if (status >= 400)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    $"{description} answered {status} as {response.Content.Headers.ContentType}");
            }
            await conformance.AssertDocumentedAsync(operation.Path, operation.Definition, description, response);
        }, iter: Requests, threads: 2, seed: Environment.GetEnvironmentVariable("CsCheck_Seed") ?? "0000B5xfnTF1");

        var total = statuses.Values.Sum();
        output.WriteLine($"{total} requests over {operations.Length} operations: " +
                         string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}")));
        output.WriteLine($"5xx: {statuses.Where(s => s.Key >= 500).Sum(s => s.Value)}, 2xx: {statuses.Where(s => s.Key < 300).Sum(s => s.Value)}, " +
                         $"4xx: {statuses.Where(s => s.Key is >= 400 and < 500).Sum(s => s.Value)} (of which {refusedByKestrel} refused by Kestrel for a NUL in the path)");
        output.WriteLine("per operation: " + string.Join(", ", perOperation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} x{p.Value}")));
        Assert.True(total >= Requests);
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) >= Requests / 20, "too few requests were valid enough to succeed");
    }

    /// <summary>Real slugs and ids, so that part of the traffic reaches the handlers' success paths.</summary>
    private static async Task<Dictionary<string, string[]>> ValidValuesAsync(HttpClient admin)
    {
        var values = new Dictionary<string, string[]>
        {
            ["articles"] = ["venezuela-defies-the-us", "caracas-and-the-oil-price"],
            ["authors"] = ["cassie-b", "martin-hale"],
            ["sections"] = ["international-affairs"],
            ["topics"] = ["russia", "china"],
            ["works"] = ["war-just-war"],
            ["format"] = ["rss", "atom", "json"],
            ["kind"] = ["articles", "authors", "sections", "topics", "works"],
            ["version"] = ["1", "2", "3"],
        };
        foreach (var kind in new[] { "articles", "authors", "sections", "topics", "works", "keys", "webhooks" })
        {
            var list = await admin.GetJsonAsync($"/v1/manage/{kind}{(kind is "keys" or "webhooks" ? "" : "?limit=5")}");
            var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
            // The fuzzer must not revoke its own key: everything after would be a 401.
            values["id:" + kind] = items.EnumerateArray()
                .Where(i => !(i.TryGetProperty("name", out var name) && name.GetString() == "fuzzer"))
                .Select(i => i.GetProperty("id").GetString()!).ToArray();
        }
        var sectionId = values["id:sections"][0];
        var authorId = values["id:authors"][0];
        values["body:ArticleInput"] = [$$"""{"slug":"fuzz-article","title":"Fuzzed","sectionId":"{{sectionId}}","authorIds":["{{authorId}}"],"body":"Some text."}"""];
        values["body:TopicInput"] = ["""{"slug":"fuzz-topic","name":"Fuzzed"}"""];
        values["body:SectionInput"] = ["""{"slug":"fuzz-section","name":"Fuzzed"}"""];
        values["body:AuthorInput"] = ["""{"slug":"fuzz-author","name":"Fuzzed"}"""];
        values["body:WorkInput"] = ["""{"slug":"fuzz-work","kind":"book","title":"Fuzzed"}"""];
        values["body:KeyInput"] = ["""{"name":"fuzz-key","scopes":["content:preview"]}"""];
        values["body:WebhookInput"] = ["""{"url":"https://93.184.216.34/fuzz"}"""];
        values["body:ScheduleRequest"] = ["""{"publishAt":"2031-01-01T00:00:00Z","unpublishAt":"2031-02-01T00:00:00Z"}"""];
        values["body:PublishRequest"] = ["""{"unpublishAt":"2031-02-01T00:00:00Z"}"""];
        return values;
    }

    private static HttpRequestMessage Build(Operation operation, Probe probe, Dictionary<string, string[]> valid)
    {
        var path = operation.Path;
        for (var i = 0; i < operation.PathParameters.Length; i++)
        {
            var name = operation.PathParameters[i];
            // The versions routes name their kind in the path ({kind}): ids are taken from the kind chosen for it.
            var resource = operation.Path.Split('/')[3] is "{kind}" ? path.Split('/')[3] : operation.Path.Split('/')[3];
            var kind = name == "id" ? "id:" + resource : name is "format" or "kind" ? name : name is "version" or "a" or "b" ? "version"
                : operation.Path.Split('/')[2];
            var value = probe.PathValues[Math.Min(i, probe.PathValues.Length - 1)] is { } hostile && !hostile.Trim('.').Equals("", StringComparison.Ordinal)
                ? hostile
                : valid.TryGetValue(kind, out var known) && known.Length > 0 ? known[Math.Abs(probe.Hostile.Length) % known.Length] : "x";
            path = path.Replace($"{{{name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        var query = new List<string>();
        foreach (var (parameter, value) in probe.Query)
        {
            if (operation.Query.Length > 0)
            {
                var (name, schema) = operation.Query[parameter % operation.Query.Length];
                // Half of the values follow the schema (an enum value, a small number), half are hostile.
                var chosen = parameter % 2 == 0 && schema.TryGetProperty("enum", out var allowed) ? allowed[parameter % allowed.GetArrayLength()].ToString()
                    : parameter % 2 == 0 && schema.TryGetProperty("type", out var type) && type.ToString().Contains("integer", StringComparison.Ordinal) ? (1 + parameter % 5).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : value;
                query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(chosen)}");
            }
        }
        if (probe.UnknownParameter is { } unknown)
        {
            query.Add($"{Uri.EscapeDataString(unknown)}=1");
        }
        if (operation.Path == "/v1/search" && probe.Query.Length == 0)
        {
            query.Add("q=" + Uri.EscapeDataString(probe.Hostile));
        }
        var request = new HttpRequestMessage(new HttpMethod(operation.Method), path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        if (operation.Method is "PUT" or "PATCH" or "DELETE" or "POST" && probe.BodyKind % 3 == 0)
        {
            // Header values must be visible ASCII on the wire; HttpClient refuses anything else before it is sent.
            var ascii = new string(probe.Hostile.Where(c => c is >= ' ' and <= '~').Take(200).ToArray());
            request.Headers.TryAddWithoutValidation("If-Match", probe.BodyKind == 0 ? "*" : probe.BodyKind == 3 ? ascii : $"\"{ascii}\"");
        }
        if (operation.BodySchema is null)
        {
            return request;
        }

        var schemaName = System.Text.RegularExpressions.Regex.Match(operation.BodySchema, "schemas/(\\w+)").Groups[1].Value;
        var template = (valid.TryGetValue("body:" + schemaName, out var bodies) ? bodies[0] : "{}")
            .Replace("\"fuzz-", $"\"fuzz{probe.Hostile.Length % 50}-", StringComparison.Ordinal); // some creates succeed, some collide
        var text = probe.BodyKind switch
        {
            0 or 1 or 2 => template,
            3 => template.Replace("\"Fuzzed\"", JsonSerializer.Serialize(probe.Hostile), StringComparison.Ordinal),
            4 => template.Replace("\"Fuzzed\"", probe.Hostile.Length % 2 == 0 ? "12345678901234567890" : "[true, {}]", StringComparison.Ordinal),
            5 => template[..(probe.Hostile.Length % template.Length)],
            6 => probe.Hostile,
            7 => template.Insert(1, $"\"{(probe.Hostile.Length % 2 == 0 ? "id" : "status")}\":{JsonSerializer.Serialize(probe.Hostile)},"),
            8 => probe.Hostile.Length % 7 == 0 ? "{\"slug\":\"" + new string('x', 1_100_000) + "\"}" : "[" + template + "]",
            _ => "null",
        };
        var media = probe.MediaType switch
        {
            8 => "text/plain",
            9 => probe.Hostile.Length % 2 == 0 ? "application/xml" : "application/json; charset=latin1",
            _ => operation.MediaTypes[probe.MediaType % operation.MediaTypes.Length],
        };
        request.Content = new StringContent(text, Encoding.UTF8);
        // As careful clients do for big uploads: the server can refuse (413) before the body is sent.
        request.Headers.ExpectContinue = text.Length > 100_000;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.TryParse(media, out var parsed) ? parsed : new MediaTypeHeaderValue("text/plain");
        return request;
    }
}
