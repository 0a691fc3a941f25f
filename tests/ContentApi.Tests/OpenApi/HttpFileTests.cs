using System.Text.RegularExpressions;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.OpenApi;

public sealed partial class HttpFileTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [GeneratedRegex(@"^(GET|POST|PUT|PATCH|DELETE) \{\{base\}\}(\S+)", RegexOptions.Multiline)]
    private static partial Regex RequestLine();

    [Fact]
    public async Task The_http_file_has_a_request_for_every_operation()
    {
        var path = Path.Combine(Path.GetDirectoryName(TestDatabaseServer.SeedsFolder)!, "src", "ContentApi", "ContentApi.http");
        var requests = RequestLine().Matches(await File.ReadAllTextAsync(path))
            .Select(m => (Method: m.Groups[1].Value, Url: Regex.Replace(m.Groups[2].Value.Split('?')[0], @"\{\{[^}]+\}\}", "x")))
            .Where(r => r.Url.StartsWith("/v1/", StringComparison.Ordinal)) // the health probes are not in the document
            .ToList();
        var document = new DocumentConformance(await api.CreateClient().GetJsonAsync("/openapi/v1.json"));

        var covered = requests.Select(r => document.Find(new HttpMethod(r.Method), r.Url).Path + " " + r.Method).ToHashSet();
        var operations = OpenApiDocumentTests.Operations(await api.CreateClient().GetJsonAsync("/openapi/v1.json"))
            .Select(o => $"{o.Path} {o.Method.ToUpperInvariant()}");
        Assert.Empty(operations.Except(covered));
    }
}
