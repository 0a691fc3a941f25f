using System.Net;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using ContentApi.Tests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// Whatever text a writer stores, every answer that shows it still works: generated Unicode (any plane, markup,
/// Markdown syntax, entities, now and then a control character) goes into every text field of a topic, an author,
/// a work and an article; the article is published and then read back through its page, the lists, search, related,
/// its topic and author pages and the three feed formats. No answer may be a 5xx and every feed must parse.
/// A write the API refuses must be a 400 problem naming a field, and only text with a control character is refused.
/// </summary>
[Trait("Category", "Slow")]
public sealed class StoredContentPropertyTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private const int Iterations = 20; // each writes four resources and makes some 20 reads: seconds, not minutes
    private HttpClient _editor = null!;
    private readonly HttpClient _public = api.ClientWithKey(null);
    private Guid _section;
    private int _counter;

    public async Task InitializeAsync()
    {
        _editor = api.ClientWithKey(await api.CreateKeyAsync("property-editor", "content:write"));
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        _section = await db.Sections.Where(s => s.Slug == "international-affairs").Select(s => s.Id).SingleAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every text field the test fills, as (resource, JSON path).</summary>
    private static readonly (string Resource, string Path)[] Fields =
    [
        ("topics", "name"), ("topics", "description"),
        ("authors", "name"), ("authors", "bio"), ("authors", "links[0].label"),
        ("works", "title"), ("works", "shortLabel"), ("works", "subtitle"), ("works", "creators"), ("works", "description"),
        ("articles", "title"), ("articles", "dek"), ("articles", "excerpt"), ("articles", "image.alt"), ("articles", "image.credit"),
        ("articles", "originalPublication.outlet"), ("articles", "originalPublication.title"),
        ("articles", "figures[0].alt"), ("articles", "figures[0].caption"), ("articles", "figures[0].credit"), ("articles", "body"),
    ];

    private static readonly string[] Fragments =
    [
        "\n\n", "\r\n", "\t", "# ", "## ", "> ", "- ", "1. ", "*", "**", "_", "~~", "==", "^", "`", "```\n", "    ", "|a|b|\n|-|-|\n",
        "<b>", "</div>", "<script>x()</script>", "<form><input name=q></form>", "<p style=\"color:red\" id=\"x\">",
        "[a](javascript:x)", "[a](https://example.org/?q=1&r=2 \"t\")", "<https://example.org>", "![i](https://example.org/i.png)",
        "&amp;", "&#1;", "&#0;", "&#x1F;", "&#128;", "&nbsp;", "&bogus;", "]]>", "<![CDATA[", "<!-- c -->", "<?xml ?>", "{{figure pic}}",
        "\\", "\"", "'", "\u2028", "\u200b", "\u202e", "\ufeff", "\ufffd", "\ufdd0", "𝕏", "😀👍🏽", "ß", "ı", "İ",
    ];

    /// <summary>Any Unicode scalar value, mostly printable, sometimes from the far planes.</summary>
    private static readonly Gen<string> CodePoint = Gen.Frequency(
        (8, Gen.Int[0x20, 0x7E]), (4, Gen.Int[0xA0, 0xD7FF]), (1, Gen.Int[0xE000, 0xFFFD]), (1, Gen.Int[0x10000, 0x10FFFF]))
        .Select(char.ConvertFromUtf32);

    private static readonly Gen<string> Part = Gen.Frequency((3, CodePoint), (1, Gen.OneOf(Fragments.Select(Gen.Const).ToArray())));

    // Never blank (required fields must be accepted) and within every field's length limit.
    private static readonly Gen<string> Text = Part.Array[1, 6].Select(parts => "x" + string.Concat(parts)).Where(text => text.Length <= 100);

    private static readonly Gen<string> Body = Part.Array[1, 40].Select(parts => "x" + string.Concat(parts));

    /// <summary>Characters XML cannot carry, and others the API refuses: C0 and C1 controls, DEL, U+FFFE, U+FFFF.</summary>
    private static readonly Gen<char> Control = Gen.OneOf(
        Gen.Char['\u0000', '\u0008'], Gen.Char['\u000B', '\u000C'], Gen.Char['\u000E', '\u001F'], Gen.Char['\u007F', '\u009F'],
        Gen.OneOf(Gen.Const('\uFFFE'), Gen.Const('\uFFFF')));

    private sealed record Case(string[] Values, int Dirty, char ControlCharacter)
    {
        public override string ToString() =>
            $"dirty {Dirty} (U+{(int)ControlCharacter:X4}), values {JsonSerializer.Serialize(Values)}";
    }

    [Fact]
    public async Task Arbitrary_unicode_in_every_text_field_never_breaks_an_answer_and_every_feed_parses()
    {
        var gen = from texts in Text.Array[Fields.Length - 1]
                  from body in Body
                  from dirty in Gen.Frequency((3, Gen.Const(-1)), (1, Gen.Int[0, Fields.Length - 1]))
                  from control in Control
                  select new Case([.. texts, body], dirty, control); // the body is the last field

        await gen.SampleAsync(CheckAsync, iter: Iterations, threads: 1,
            seed: Environment.GetEnvironmentVariable("CsCheck_Seed") ?? "0000B5xfnTF1");
    }

    private async Task CheckAsync(Case sample)
    {
        var n = Interlocked.Increment(ref _counter);
        var values = (string[])sample.Values.Clone();
        if (sample.Dirty >= 0)
        {
            var text = values[sample.Dirty];
            values[sample.Dirty] = text.Insert(1, sample.ControlCharacter.ToString()); // after the "x": never inside a surrogate pair
        }
        string Value(string resource, string path) => values[Array.FindIndex(Fields, f => f.Resource == resource && f.Path == path)];

        var topic = await CreateAsync("topics", sample, new JsonObject
        {
            ["slug"] = $"prop-topic-{n}", ["name"] = Value("topics", "name"), ["description"] = Value("topics", "description"),
        });
        var author = await CreateAsync("authors", sample, new JsonObject
        {
            ["slug"] = $"prop-author-{n}", ["name"] = Value("authors", "name"), ["bio"] = Value("authors", "bio"),
            ["links"] = new JsonArray(new JsonObject { ["label"] = Value("authors", "links[0].label"), ["url"] = "https://example.org/me" }),
        });
        var work = await CreateAsync("works", sample, new JsonObject
        {
            ["slug"] = $"prop-work-{n}", ["kind"] = "book", ["title"] = Value("works", "title"), ["shortLabel"] = Value("works", "shortLabel"),
            ["subtitle"] = Value("works", "subtitle"), ["creators"] = Value("works", "creators"), ["description"] = Value("works", "description"),
        });
        var article = author is null ? null : await CreateAsync("articles", sample, new JsonObject
        {
            ["slug"] = $"prop-article-{n}", ["title"] = Value("articles", "title"), ["dek"] = Value("articles", "dek"),
            ["excerpt"] = Value("articles", "excerpt"), ["sectionId"] = _section,
            ["authorIds"] = new JsonArray(author), ["topicIds"] = topic is null ? new JsonArray() : new JsonArray(topic),
            ["relatedWorkIds"] = work is null ? new JsonArray() : new JsonArray(work),
            ["image"] = new JsonObject { ["url"] = "https://example.org/i.jpg", ["alt"] = Value("articles", "image.alt"), ["credit"] = Value("articles", "image.credit") },
            ["originalPublication"] = new JsonObject
            {
                ["outlet"] = Value("articles", "originalPublication.outlet"), ["url"] = "https://example.org/first",
                ["title"] = Value("articles", "originalPublication.title"),
            },
            ["figures"] = new JsonArray(new JsonObject
            {
                ["key"] = "pic", ["url"] = "https://example.org/pic.jpg", ["alt"] = Value("articles", "figures[0].alt"),
                ["caption"] = Value("articles", "figures[0].caption"), ["credit"] = Value("articles", "figures[0].credit"),
            }),
            ["body"] = Value("articles", "body"),
        });
        if (article is not null)
        {
            AssertNot5xx(await _editor.PostAsync($"/v1/manage/articles/{article}/publish", null), "publish");
        }

        var urls = new List<string> { "/v1/articles?limit=5", $"/v1/search?q={Uri.EscapeDataString(Value("articles", "title"))}" };
        if (article is not null)
        {
            urls.AddRange([$"/v1/articles/prop-article-{n}", $"/v1/articles/prop-article-{n}/related", $"/v1/authors/prop-author-{n}/articles"]);
        }
        if (topic is not null)
        {
            urls.AddRange([$"/v1/topics/prop-topic-{n}", "/v1/topics?limit=100"]);
        }
        if (work is not null)
        {
            urls.Add($"/v1/works/prop-work-{n}");
        }
        foreach (var url in urls)
        {
            var response = await _public.GetAsync(url);
            AssertNot5xx(response, url);
            Assert.True(response.StatusCode == HttpStatusCode.OK || url.StartsWith("/v1/search", StringComparison.Ordinal),
                $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var feeds = new List<string> { "/v1/feeds/articles" };
        if (article is not null)
        {
            feeds.Add($"/v1/authors/prop-author-{n}/feed");
        }
        if (topic is not null && article is not null)
        {
            feeds.Add($"/v1/topics/prop-topic-{n}/feed");
        }
        foreach (var feed in feeds)
        {
            await AssertFeedParsesAsync(feed, article is null ? null : $"prop-article-{n}");
        }
    }

    /// <summary>
    /// Creates the resource; null when the API refused it, which it may only do with a 400 naming the field that holds
    /// the control character.
    /// </summary>
    private async Task<Guid?> CreateAsync(string resource, Case sample, JsonObject body)
    {
        var response = await _editor.PostAsync($"/v1/manage/{resource}",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        AssertNot5xx(response, resource);
        var dirtyHere = sample.Dirty >= 0 && Fields[sample.Dirty].Resource == resource;
        if (response.StatusCode == HttpStatusCode.Created)
        {
            Assert.False(dirtyHere, $"{resource} with U+{(int)sample.ControlCharacter:X4} in {Fields[Math.Max(0, sample.Dirty)].Path} was stored");
            return (await response.ReadJsonAsync()).GetProperty("id").GetGuid();
        }
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(dirtyHere, $"{resource} without a control character was refused: {problem}");
        Assert.True(problem.GetProperty("errors").TryGetProperty(Fields[sample.Dirty].Path, out _), problem.ToString());
        return null;
    }

    private async Task AssertFeedParsesAsync(string feed, string? slug)
    {
        foreach (var format in new[] { "rss", "atom", "json" })
        {
            var url = $"{feed}.{format}";
            var response = await _public.GetAsync(url);
            AssertNot5xx(response, url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            IEnumerable<string> ids;
            if (format == "json")
            {
                ids = JsonDocument.Parse(bytes).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("url").GetString()!);
            }
            else
            {
                using var reader = XmlReader.Create(new MemoryStream(bytes));
                ids = SyndicationFeed.Load(reader).Items.SelectMany(i => i.Links).Select(l => l.Uri.ToString()).ToList();
            }
            if (slug is not null)
            {
                Assert.Contains(ids, id => id.EndsWith($"/articles/{slug}", StringComparison.Ordinal));
            }
        }
    }

    private static void AssertNot5xx(HttpResponseMessage response, string what) =>
        Assert.True((int)response.StatusCode < 500, $"{what} answered {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
}
