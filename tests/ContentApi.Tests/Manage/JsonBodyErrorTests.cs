using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Manage;

/// <summary>A body the serializer cannot bind is a 400 that names the field and says what to send instead.</summary>
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
}
