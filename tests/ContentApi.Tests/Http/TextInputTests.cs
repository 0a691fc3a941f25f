using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Http;

/// <summary>Text a write may store: nothing that would break an answer later (feeds are XML, which refuses most control characters).</summary>
public sealed class TextInputTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _editor = null!;
    private Guid _section, _author;

    public async Task InitializeAsync()
    {
        _editor = api.ClientWithKey(await api.CreateKeyAsync("text-editor", "content:write"));
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        _section = await db.Sections.Where(s => s.Slug == "international-affairs").Select(s => s.Id).SingleAsync();
        _author = await db.Authors.Where(a => a.Slug == "cassie-b").Select(a => a.Id).SingleAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    // Raw JSON, so the escapes reach the API exactly as written; SECTION and AUTHOR are replaced with real ids.
    [Theory]
    [InlineData("topics", """{"slug":"bell-topic","name":"Bell \u0007 ringing"}""", "name")]
    [InlineData("sections", """{"slug":"tab-section","name":"Vertical","description":"a\u000bb"}""", "description")]
    [InlineData("authors", """{"slug":"esc-author","name":"Esc","links":[{"label":"Home\u001b[31m","url":"https://example.org/"}]}""", "links[0].label")]
    [InlineData("works", """{"slug":"del-work","kind":"book","title":"Delete","subtitle":"x\u007fy"}""", "subtitle")]
    [InlineData("articles", """{"slug":"nel-article","title":"Next line","sectionId":"SECTION","authorIds":["AUTHOR"],"body":"Text.","figures":[{"key":"p","url":"https://example.org/p.jpg","caption":"c\u0085d"}]}""", "figures[0].caption")]
    [InlineData("articles", """{"slug":"nonchar-article","title":"Not a character \uffff","sectionId":"SECTION","authorIds":["AUTHOR"],"body":"Text."}""", "title")]
    [InlineData("articles", """{"slug":"surrogate-article","title":"Half \ud800 a pair","sectionId":"SECTION","authorIds":["AUTHOR"],"body":"Text."}""", "title")]
    [InlineData("articles", """{"slug":"body-article","title":"Body","sectionId":"SECTION","authorIds":["AUTHOR"],"body":"Form feed \u000c here."}""", "body")]
    public async Task A_control_character_in_any_text_field_is_a_400_naming_the_field(string resource, string json, string field)
    {
        var body = json.Replace("SECTION", _section.ToString(), StringComparison.Ordinal).Replace("AUTHOR", _author.ToString(), StringComparison.Ordinal);

        var response = await _editor.PostJsonAsync($"/v1/manage/{resource}", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.Contains(field, messages[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_control_character_in_a_merge_patch_is_a_400_and_changes_nothing()
    {
        var topics = await _editor.GetJsonAsync("/v1/manage/topics?limit=100");
        var id = topics.GetProperty("items").EnumerateArray().First(t => t.GetProperty("slug").GetString() == "russia").GetProperty("id").GetGuid();
        var (before, etag) = await _editor.GetWithETagAsync($"/v1/manage/topics/{id}");

        var response = await _editor.PatchJsonAsync($"/v1/manage/topics/{id}", """{"description":"Start of heading \u0001"}""", etag);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("description", out _), problem.ToString());
        Assert.Equal(before.ToString(), (await _editor.GetJsonAsync($"/v1/manage/topics/{id}")).ToString());
    }

    [Fact]
    public async Task Tab_line_feed_and_carriage_return_are_ordinary_text()
    {
        var response = await _editor.PostJsonAsync("/v1/manage/topics", """{"slug":"whitespace-topic","name":"Tab\there","description":"Line one\r\nLine two\nLine three"}""");

        var created = await response.ReadJsonAsync();
        Assert.Equal("Line one\r\nLine two\nLine three", created.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Markdown_nested_beyond_the_parsers_limit_is_a_400_naming_body()
    {
        var response = await _editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug = "too-deep",
            title = "Too deep",
            sectionId = _section,
            authorIds = new[] { _author },
            body = new string('>', 200) + " the bottom of the well",
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out var messages), problem.ToString());
        Assert.Contains("nested", messages[0].GetString(), StringComparison.Ordinal);
    }
}
