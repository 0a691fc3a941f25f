using System.Net;
using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Manage.Articles;

public sealed class ArticleWriteTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private HttpClient _editor = null!;
    private HttpClient _previewer = null!;
    private readonly HttpClient _public = api.ClientWithKey(null);
    private Guid _section, _author, _secondAuthor, _topic, _work;

    public async Task InitializeAsync()
    {
        _editor = api.ClientWithKey(await api.CreateKeyAsync("article-editor", "content:write"));
        _previewer = api.ClientWithKey(await api.CreateKeyAsync("previewer", "content:preview"));
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        _section = await db.Sections.Where(s => s.Slug == "international-affairs").Select(s => s.Id).SingleAsync();
        _author = await db.Authors.Where(a => a.Slug == "cassie-b").Select(a => a.Id).SingleAsync();
        _secondAuthor = await db.Authors.Where(a => a.Slug == "martin-hale").Select(a => a.Id).SingleAsync();
        _topic = await db.Topics.Where(t => t.Slug == "energy").Select(t => t.Id).SingleAsync();
        _work = await db.Works.Where(w => w.Slug == "war-just-war").Select(w => w.Id).SingleAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private object NewArticle(string slug, string body = "A first paragraph.\n\nA second one.") => new
    {
        slug,
        title = $"Title of {slug}",
        dek = "A dek.",
        sectionId = _section,
        authorIds = new[] { _author, _secondAuthor },
        topicIds = new[] { _topic },
        relatedWorkIds = new[] { _work },
        body,
    };

    private async Task<(Guid Id, string Url)> CreateAsync(string slug, string? body = null)
    {
        var response = await _editor.PostJsonAsync("/v1/manage/articles", body is null ? NewArticle(slug) : NewArticle(slug, body));
        var created = await response.ReadJsonAsync();
        var id = created.GetProperty("id").GetGuid();
        return (id, $"/v1/manage/articles/{id}");
    }

    [Fact]
    public async Task A_new_article_is_a_draft_invisible_to_the_public_and_visible_in_preview()
    {
        var response = await _editor.PostJsonAsync("/v1/manage/articles", NewArticle("a-quiet-draft"));
        var created = await response.ReadJsonAsync();
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("publishedAt").ValueKind);
        Assert.Equal([_author, _secondAuthor], created.GetProperty("authorIds").EnumerateArray().Select(e => e.GetGuid()));

        await (await _public.GetAsync("/v1/articles/a-quiet-draft")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("a-quiet-draft", (await _public.GetJsonAsync("/v1/articles?limit=100")).GetProperty("items").Strings("slug"));

        var preview = await _previewer.GetAsync("/v1/articles/a-quiet-draft?preview=true");
        var previewed = await preview.ReadJsonAsync();
        Assert.Equal("Title of a-quiet-draft", previewed.GetProperty("title").GetString());
        Assert.True(preview.Headers.CacheControl is { Private: true, NoStore: true });
        Assert.Contains("a-quiet-draft", (await _previewer.GetJsonAsync("/v1/articles?preview=true&limit=100")).GetProperty("items").Strings("slug"));

        var anonymous = await _public.GetAsync("/v1/articles/a-quiet-draft?preview=true");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await (await _previewer.GetAsync("/v1/articles/a-quiet-draft?preview=yes")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task References_that_do_not_exist_are_reported_under_their_field()
    {
        var body = new
        {
            slug = "dangling-references", title = "Dangling", sectionId = Guid.NewGuid(),
            authorIds = new[] { _author, Guid.NewGuid() }, topicIds = new[] { Guid.NewGuid() }, body = "Text.",
        };
        var problem = await (await _editor.PostJsonAsync("/v1/manage/articles", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sectionId", out _));
        Assert.True(errors.TryGetProperty("authorIds[1]", out _));
        Assert.False(errors.TryGetProperty("authorIds[0]", out _));
        Assert.True(errors.TryGetProperty("topicIds[0]", out _));
    }

    [Fact]
    public async Task Publish_unpublish_archive_and_delete_move_the_article_on_and_off_the_delivery_api()
    {
        var (_, url) = await CreateAsync("the-lifecycle");

        var published = await (await _editor.PostAsync($"{url}/publish", null)).ReadJsonAsync();
        Assert.Equal("published", published.GetProperty("status").GetString());
        Assert.Equal("Title of the-lifecycle", (await _public.GetJsonAsync("/v1/articles/the-lifecycle")).GetProperty("title").GetString());
        Assert.Contains("the-lifecycle", (await _public.GetJsonAsync("/v1/authors/cassie-b/articles?limit=100")).GetProperty("items").Strings("slug"));

        await (await _editor.PostAsync($"{url}/unpublish", null)).ReadJsonAsync();
        await (await _public.GetAsync("/v1/articles/the-lifecycle")).AssertProblemAsync(HttpStatusCode.NotFound);

        await (await _editor.PostAsync($"{url}/publish", null)).ReadJsonAsync();
        await (await _editor.PostAsync($"{url}/archive", null)).ReadJsonAsync();
        await (await _public.GetAsync("/v1/articles/the-lifecycle")).AssertProblemAsync(HttpStatusCode.Gone);

        var (_, second) = await CreateAsync("deleted-for-good");
        await (await _editor.PostAsync($"{second}/publish", null)).ReadJsonAsync();
        var (_, etag) = await _editor.GetWithETagAsync(second);
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync(second, etag)).StatusCode);
        await (await _public.GetAsync("/v1/articles/deleted-for-good")).AssertProblemAsync(HttpStatusCode.Gone);
        Assert.Equal("archived", (await _editor.GetJsonAsync(second)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_deleted_article_that_was_never_public_answers_404_and_one_that_was_answers_410()
    {
        async Task DeleteAsync(string url)
        {
            var (_, etag) = await _editor.GetWithETagAsync(url);
            Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync(url, etag)).StatusCode);
        }

        var (_, draft) = await CreateAsync("never-out-of-drafts");
        await DeleteAsync(draft);
        await (await _public.GetAsync("/v1/articles/never-out-of-drafts")).AssertProblemAsync(HttpStatusCode.NotFound);

        var (_, scheduled) = await CreateAsync("scheduled-then-dropped");
        await (await _editor.PostAsync($"{scheduled}/schedule", ManageRequests.Json(new { publishAt = DateTimeOffset.UtcNow.AddDays(7) }))).ReadJsonAsync();
        await DeleteAsync(scheduled);
        await (await _public.GetAsync("/v1/articles/scheduled-then-dropped")).AssertProblemAsync(HttpStatusCode.NotFound);

        var (_, archivedDraft) = await CreateAsync("archived-as-a-draft");
        await (await _editor.PostAsync($"{archivedDraft}/archive", null)).ReadJsonAsync();
        await (await _public.GetAsync("/v1/articles/archived-as-a-draft")).AssertProblemAsync(HttpStatusCode.NotFound);

        var (_, once) = await CreateAsync("public-once");
        await (await _editor.PostAsync($"{once}/publish", null)).ReadJsonAsync();
        await (await _editor.PostAsync($"{once}/unpublish", null)).ReadJsonAsync();
        await DeleteAsync(once);
        await (await _public.GetAsync("/v1/articles/public-once")).AssertProblemAsync(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task A_scheduled_article_goes_live_at_its_time_with_no_request_in_between()
    {
        var (_, url) = await CreateAsync("on-the-hour");
        var publishAt = DateTimeOffset.UtcNow.AddSeconds(3);

        var scheduled = await (await _editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt }))).ReadJsonAsync();
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        await (await _public.GetAsync("/v1/articles/on-the-hour")).AssertProblemAsync(HttpStatusCode.NotFound);

        // Only the management API is watched: the switch must happen on the server's own schedule.
        var status = "scheduled";
        for (var attempt = 0; attempt < 100 && status != "published"; attempt++)
        {
            await Task.Delay(200);
            status = (await _editor.GetJsonAsync(url)).GetProperty("status").GetString();
        }
        Assert.Equal("published", status);
        Assert.True(DateTimeOffset.UtcNow >= publishAt);
        var live = await _public.GetJsonAsync("/v1/articles/on-the-hour");
        Assert.Equal(publishAt.ToUnixTimeMilliseconds(), live.GetProperty("publishedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());

        var past = await _editor.PostAsync($"{url}/schedule", ManageRequests.Json(new { publishAt = DateTimeOffset.UtcNow.AddMinutes(-1) }));
        await past.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Changing_the_slug_keeps_the_old_address_answering_301()
    {
        var (_, url) = await CreateAsync("first-name");
        await (await _editor.PostAsync($"{url}/publish", null)).ReadJsonAsync();
        var (_, etag) = await _editor.GetWithETagAsync(url);

        await (await _editor.PatchJsonAsync(url, new { slug = "second-name" }, etag)).ReadJsonAsync();

        var old = await _public.GetAsync("/v1/articles/first-name");
        Assert.Equal(HttpStatusCode.MovedPermanently, old.StatusCode);
        Assert.Equal("/v1/articles/second-name", old.Headers.Location?.OriginalString);
    }

    public static TheoryData<string> XssPayloads => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<svg onload=alert(1)></svg>",
        "<iframe src=\"https://evil.example/\"></iframe>",
        "[link](javascript:alert(1))",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<details open ontoggle=alert(1)>",
        "<body onload=alert(1)>",
    };

    [Theory]
    [MemberData(nameof(XssPayloads))]
    public async Task Known_xss_payloads_appear_in_no_response(string payload)
    {
        var slug = $"xss-{Math.Abs(payload.GetHashCode()) % 1_000_000}";
        var (_, url) = await CreateAsync(slug, $"Before the payload, xsstestword.\n\n{payload}\n\nAfter it.");
        var managed = await (await _editor.PostAsync($"{url}/publish", null)).ReadJsonAsync();

        var responses = new[]
        {
            managed.GetProperty("bodyHtml").GetString()!,
            await _public.GetStringAsync($"/v1/articles/{slug}"),
            await _public.GetStringAsync("/v1/articles?limit=100"),
            await _public.GetStringAsync("/v1/search?q=xsstestword"),
            await _public.GetStringAsync($"/v1/articles/{slug}/related"),
        };
        foreach (var text in responses)
        {
            var html = JsonDocument.Parse(text.StartsWith('{') ? text : JsonSerializer.Serialize(text)).RootElement.ToString();
            foreach (var marker in new[] { "<script", "onerror", "onload", "ontoggle", "javascript:", "<iframe" })
            {
                Assert.DoesNotContain(marker, html, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task A_schedule_with_a_bad_body_is_a_4xx_problem_and_changes_nothing()
    {
        var (_, url) = await CreateAsync("badly-scheduled");

        await (await _editor.PostAsync($"{url}/schedule", ManageRequests.Json("{\"publishAt\": "))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _editor.PostAsync($"{url}/schedule", ManageRequests.Json("{\"publishAt\": \"tomorrow\"}"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _editor.PostAsync($"{url}/schedule", ManageRequests.Json("{}"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var wrongType = await _editor.PostAsync($"{url}/schedule", new StringContent("publishAt=2030-01-01", System.Text.Encoding.UTF8, "text/plain"));
        Assert.True(wrongType.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode.ToString());
        await wrongType.AssertProblemAsync(wrongType.StatusCode);

        Assert.Equal("draft", (await _editor.GetJsonAsync(url)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_management_list_filters_by_status_and_pages_by_cursor_without_repeats()
    {
        var drafts = await _editor.GetJsonAsync("/v1/manage/articles?status=draft&limit=100");
        Assert.All(drafts.GetProperty("items").EnumerateArray(), a => Assert.Equal("draft", a.GetProperty("status").GetString()));
        await (await _editor.GetAsync("/v1/manage/topics?status=draft")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _editor.GetAsync("/v1/manage/articles?status=gone")).AssertProblemAsync(HttpStatusCode.BadRequest);

        var seen = new List<string>();
        var url = "/v1/manage/articles?limit=3";
        var total = 0;
        while (url is not null)
        {
            var page = await _editor.GetJsonAsync(url);
            total = page.GetProperty("page").GetProperty("total").GetInt32();
            seen.AddRange(page.GetProperty("items").Strings("slug"));
            var next = page.GetProperty("page").GetProperty("next").GetString();
            url = next is null ? null : $"/v1/manage/articles?limit=3&cursor={next}";
        }
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains("notes-on-a-draft-about-harvests", seen);
    }
}
