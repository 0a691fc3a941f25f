using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Manage;

/// <summary>
/// The strict JSON rules every management write shares: a body the serializer cannot bind, or one that writes a field
/// the server owns, is a 400 that names the field and says what to send instead.
/// </summary>
public sealed class JsonBodyErrorTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _editor = null!;

    public async Task InitializeAsync() => _editor = api.ClientWithKey(await api.CreateKeyAsync("json-editor", "content:write"));

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("topics", """{"slug":"typed-topic","name":5}""", "name", "'name' must be a string.")]
    [InlineData("articles", """{"slug":"typed-article","title":"T","body":"x","sectionId":5}""", "sectionId", "'sectionId' must be a UUID string.")]
    [InlineData("articles", """{"slug":"typed-article","title":"T","body":"x","authorIds":["not-an-id"]}""", "authorIds[0]", "'authorIds[0]' must be a UUID string.")]
    [InlineData("articles", """{"slug":"typed-article","title":"T","body":"x","topicIds":"russia"}""", "topicIds", "'topicIds' must be an array.")]
    [InlineData("articles", """{"slug":"typed-article","title":"T","body":"x","image":"https://example.org/i.jpg"}""", "image", "'image' must be an object.")]
    [InlineData("works", """{"slug":"typed-work","kind":"vinyl","title":"T"}""", "kind", "'kind' must be one of: book, cd, dvd, booklet, other.")]
    [InlineData("authors", """{"slug":"typed-author","name":"A","links":[{"label":"Home","url":"https://example.org/","rel":"me"}]}""", "links[0].rel",
        "'links[0].rel' is not a field of this resource; check the spelling against the schema.")]
    [InlineData("sections", """{"slug":"typed-section","name":"S","nmae":"S"}""", "nmae", "'nmae' is not a field of this resource; check the spelling against the schema.")]
    [InlineData("sections", """{"slug":"typed-section","Name":"S","description":5}""", "description", "'description' must be a string.")]
    [InlineData("sections", """{"slug":"typed-section","name":"S","formerSlugs":[]}""", "formerSlugs", "'formerSlugs' is set by the server and cannot be written; leave it out.")]
    public async Task A_field_that_cannot_be_bound_is_named_with_what_to_send(string resource, string body, string field, string message)
    {
        var response = await _editor.PostJsonAsync($"/v1/manage/{resource}", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Equal(message, messages[0].GetString());
    }

    [Theory]
    [InlineData("topics", "{\"slug\":\"mass-topic\",\"name\":\"Mass\",\"id\":\"0198c6e2-7a4b-7c3d-9e1f-2a3b4c5d6e7f\"}", "id")]
    [InlineData("sections", "{\"slug\":\"mass-section\",\"name\":\"Mass\",\"createdAt\":\"2020-01-01T00:00:00Z\"}", "createdAt")]
    [InlineData("authors", "{\"slug\":\"mass-author\",\"name\":\"Mass\",\"version\":99}", "version")]
    [InlineData("works", "{\"slug\":\"mass-work\",\"kind\":\"book\",\"title\":\"Mass\",\"updatedAt\":\"2020-01-01T00:00:00Z\"}", "updatedAt")]
    [InlineData("articles", "{\"slug\":\"mass-article\",\"title\":\"Mass\",\"body\":\"x\",\"status\":\"published\"}", "status")]
    [InlineData("articles", "{\"slug\":\"mass-article\",\"title\":\"Mass\",\"body\":\"x\",\"wordCount\":5}", "wordCount")]
    [InlineData("articles", "{\"slug\":\"mass-article\",\"title\":\"Mass\",\"body\":\"x\",\"bodyHtml\":\"<script>\"}", "bodyHtml")]
    public async Task Server_owned_fields_are_refused_on_create(string resource, string body, string field)
    {
        var response = await _editor.PostJsonAsync($"/v1/manage/{resource}", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        var message = messages[0].GetString();
        Assert.Contains("set by the server", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topics", "russia")]
    [InlineData("sections", "international-affairs")]
    [InlineData("authors", "cassie-b")]
    [InlineData("works", "war-just-war")]
    [InlineData("articles", "venezuela-defies-the-us")]
    public async Task Server_owned_fields_are_refused_in_a_patch_and_nothing_changes(string resource, string slug)
    {
        var list = await _editor.GetJsonAsync($"/v1/manage/{resource}?limit=100");
        var item = list.GetProperty("items").EnumerateArray().First(i => i.GetProperty("slug").GetString() == slug);
        var url = $"/v1/manage/{resource}/{item.GetProperty("id").GetGuid()}";
        var (before, etag) = await _editor.GetWithETagAsync(url);

        foreach (var field in new[] { "id", "createdAt", "updatedAt", "version" })
        {
            var patch = $"{{\"{field}\": {(field == "version" ? "42" : field == "id" ? $"\"{Guid.NewGuid()}\"" : "\"2001-01-01T00:00:00Z\"")}}}";
            await (await _editor.PatchJsonAsync(url, patch, etag)).AssertProblemAsync(HttpStatusCode.BadRequest);
        }
        var (after, etagAfter) = await _editor.GetWithETagAsync(url);
        Assert.Equal(etag, etagAfter);
        Assert.Equal(before.ToString(), after.ToString());
    }
}
