using System.Text.Json.Nodes;

namespace ContentApi.OpenApi;

/// <summary>
/// Example responses for the document, one per operation id, captured from the API serving the seed content
/// (openapi/examples.json; the OpenAPI tests rewrite it with UPDATE_OPENAPI=1).
/// </summary>
public sealed class SeedExamples(IWebHostEnvironment environment)
{
    public const string FileName = "examples.json";

    private (DateTime Written, JsonObject Examples)? _loaded;

    private JsonObject Examples()
    {
        var path = FindFile();
        if (path is null)
        {
            return [];
        }
        // Read again when the file changes: the tests rewrite it and then ask for the document in the same process.
        var written = File.GetLastWriteTimeUtc(path);
        if (_loaded is not { } loaded || loaded.Written != written)
        {
            _loaded = loaded = (written, JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? []);
        }
        return loaded.Examples;
    }

    private string? FindFile()
    {
        for (var dir = new DirectoryInfo(environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "openapi", FileName);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>The example 200 body of <paramref name="operationId"/>, or null when none was captured.</summary>
    public JsonNode? For(string operationId) => Examples()[operationId]?.DeepClone();
}
