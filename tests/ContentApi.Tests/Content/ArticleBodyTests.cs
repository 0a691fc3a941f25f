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
