using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ContentApi.Http;
using Ganss.Xss;
using Markdig;
using Markdig.Helpers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ContentApi.Content;

/// <summary>An article body rendered from Markdown: sanitized HTML, typed blocks, plain text and counts.</summary>
public sealed partial record ArticleBody(string Html, IReadOnlyList<BodyBlock> Blocks, string Text, int WordCount, int ReadingMinutes)
{
    /// <summary>Words read per minute, for the reading time.</summary>
    public const int WordsPerMinute = 230;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAutoIdentifiers(Markdig.Extensions.AutoIdentifiers.AutoIdentifierOptions.GitHub)
        .UseEmphasisExtras()
        .Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>The JSON form the blocks are stored in and served as.</summary>
    public static readonly JsonSerializerOptions BlockJson = new(JsonSerializerDefaults.Web);

    [GeneratedRegex(@"^\{\{figure ([a-z0-9]+(?:-[a-z0-9]+)*)\}\}$")]
    private static partial Regex FigurePlaceholder();

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*")]
    private static partial Regex Word();

    /// <summary>
    /// Renders <paramref name="markdown"/>; a paragraph that is only <c>{{figure key}}</c> becomes that figure.
    /// Throws <see cref="FormatException"/> naming a figure key that <paramref name="figures"/> lacks.
    /// </summary>
    public static ArticleBody Render(string markdown, IReadOnlyCollection<ArticleFigure> figures) =>
        Compose(RenderBlocks(markdown, figures));

    /// <summary>Each top-level block of <paramref name="markdown"/>, rendered on its own.</summary>
    public static List<RenderedBlock> RenderBlocks(string markdown, IReadOnlyCollection<ArticleFigure> figures) =>
        Parse(markdown).Select(block => RenderBlock(block, figures)).OfType<RenderedBlock>().ToList();

    /// <summary>
    /// The Markdown's syntax tree. Throws <see cref="FormatException"/> for nesting deeper than Markdig allows (200
    /// '>' in a row, say), which it refuses with an <see cref="ArgumentException"/>.
    /// </summary>
    private static MarkdownDocument Parse(string markdown)
    {
        MarkdownDocument document;
        try
        {
            document = Markdown.Parse(markdown, Pipeline);
        }
        catch (ArgumentException)
        {
            throw new FormatException("the body's quotes, lists or emphasis are nested more deeply than the Markdown parser allows; flatten them");
        }
        // A character reference such as &#1; decodes to a character no stored text may hold: it reads as U+FFFD instead.
        foreach (var entity in document.Descendants<HtmlEntityInline>())
        {
            if (ValidationRules.IndexOfUnstorable(entity.Transcoded.ToString()) >= 0)
            {
                entity.Transcoded = new StringSlice(ValidationRules.ReplaceUnstorable(entity.Transcoded.ToString()));
            }
        }
        return document;
    }

    /// <summary>A body made of rendered blocks, in order: the HTML and text are theirs joined, the counts taken from the text.</summary>
    public static ArticleBody Compose(IEnumerable<RenderedBlock> rendered)
    {
        var blocks = new List<BodyBlock>();
        var html = new StringBuilder();
        var text = new StringBuilder();
        foreach (var part in rendered)
        {
            blocks.Add(part.Block);
            html.Append(part.Html).Append('\n');
            if (part.Text.Length > 0 && part.Block is not FigureBodyBlock)
            {
                text.Append(part.Text).Append("\n\n");
            }
        }

        var plainText = text.ToString().TrimEnd();
        var words = Word().Count(plainText);
        var minutes = words == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(words / (double)WordsPerMinute));
        return new ArticleBody(html.ToString().TrimEnd(), blocks, plainText, words, minutes);
    }

    /// <summary>The opening of the text, cut at a word boundary, for cards when the editor wrote no excerpt.</summary>
    public string Excerpt(int maxLength = 280)
    {
        var first = Blocks.OfType<ParagraphBodyBlock>().FirstOrDefault()?.Text ?? Text;
        if (first.Length <= maxLength)
        {
            return first;
        }
        var cut = first.LastIndexOf(' ', maxLength - 1);
        return first[..(cut > 0 ? cut : maxLength - 1)].TrimEnd(',', ';', ':', '.') + "…";
    }

    /// <summary>The blocks as stored in the database.</summary>
    public string BlocksJson() => JsonSerializer.Serialize(Blocks, BlockJson);

    private static RenderedBlock? RenderBlock(Block block, IReadOnlyCollection<ArticleFigure> figures)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
            {
                var plain = PlainText(paragraph.Inline).Trim();
                var placeholder = FigurePlaceholder().Match(plain);
                if (placeholder.Success)
                {
                    var key = placeholder.Groups[1].Value;
                    var figure = figures.FirstOrDefault(f => f.Key == key)
                        ?? throw new FormatException($"the body places figure '{key}', but no figure has that key; add it to 'figures' or remove the placeholder");
                    return new RenderedBlock(new FigureBodyBlock(figure.Key, figure.Url, figure.Alt, figure.Caption, figure.Credit),
                        FigureHtml(figure), figure.Caption ?? "");
                }
                var inner = SanitizeIfNeeded(paragraph, RenderInline(paragraph));
                return new RenderedBlock(new ParagraphBodyBlock(inner, plain), $"<p>{inner}</p>", plain);
            }
            case HeadingBlock heading:
            {
                var plain = PlainText(heading.Inline).Trim();
                var anchor = heading.GetAttributes().Id ?? "";
                var level = Math.Clamp(heading.Level, 2, 6); // the page's title is the only h1
                return new RenderedBlock(new HeadingBodyBlock(level, plain, anchor),
                    $"<h{level} id=\"{WebUtility.HtmlEncode(anchor)}\">{WebUtility.HtmlEncode(plain)}</h{level}>", plain);
            }
            case QuoteBlock quote:
            {
                var inner = Sanitize(RenderChildren(quote));
                var plain = ContainerText(quote);
                return new RenderedBlock(new QuoteBodyBlock(inner, plain), $"<blockquote>{inner}</blockquote>", plain);
            }
            case ListBlock list:
            {
                var items = list.OfType<ListItemBlock>()
                    .Select(item => Sanitize(item.Count == 1 && item[0] is ParagraphBlock only ? RenderInline(only) : RenderChildren(item)))
                    .ToList();
                var tag = list.IsOrdered ? "ol" : "ul";
                var itemsHtml = string.Concat(items.Select(i => $"<li>{i}</li>"));
                return new RenderedBlock(new ListBodyBlock(list.IsOrdered, items), $"<{tag}>{itemsHtml}</{tag}>", ContainerText(list));
            }
            case FencedCodeBlock fenced:
            {
                var code = fenced.Lines.ToString();
                var language = string.IsNullOrWhiteSpace(fenced.Info) ? null : fenced.Info.Trim();
                return new RenderedBlock(new CodeBodyBlock(language, code), $"<pre><code>{WebUtility.HtmlEncode(code)}</code></pre>", code);
            }
            case CodeBlock code:
            {
                var lines = code.Lines.ToString();
                return new RenderedBlock(new CodeBodyBlock(null, lines), $"<pre><code>{WebUtility.HtmlEncode(lines)}</code></pre>", lines);
            }
            case HtmlBlock raw:
            {
                var safe = Sanitize(raw.Lines.ToString());
                return safe.Length == 0 ? null : new RenderedBlock(new HtmlBodyBlock(safe), safe, "");
            }
            default:
                return null; // thematic breaks, link definitions: nothing a reader sees as content
        }
    }

    private static string FigureHtml(ArticleFigure figure)
    {
        var html = new StringBuilder("<figure>");
        html.Append(CultureInfo.InvariantCulture,
            $"<img src=\"{WebUtility.HtmlEncode(figure.Url)}\" alt=\"{WebUtility.HtmlEncode(figure.Alt ?? "")}\">");
        if (figure.Caption is not null || figure.Credit is not null)
        {
            html.Append("<figcaption>");
            if (figure.Caption is not null)
            {
                html.Append(WebUtility.HtmlEncode(figure.Caption));
            }
            if (figure.Credit is not null)
            {
                html.Append(CultureInfo.InvariantCulture, $" <small>{WebUtility.HtmlEncode(figure.Credit)}</small>");
            }
            html.Append("</figcaption>");
        }
        return html.Append("</figure>").ToString();
    }

    private static string RenderInline(LeafBlock block)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer) { ImplicitParagraph = true };
        Pipeline.Setup(renderer);
        renderer.Render(block);
        writer.Flush();
        return writer.ToString().Trim();
    }

    private static string RenderChildren(ContainerBlock container)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        foreach (var child in container)
        {
            renderer.Render(child);
        }
        writer.Flush();
        return writer.ToString().Trim();
    }

    private static string ContainerText(ContainerBlock container) => string.Join("\n", container.Select(child => child switch
    {
        LeafBlock { Inline: not null } leaf => PlainText(leaf.Inline).Trim(),
        ContainerBlock inner => ContainerText(inner),
        _ => "",
    }).Where(t => t.Length > 0));

    private static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }
        var text = new StringBuilder();
        foreach (var child in inline)
        {
            text.Append(child switch
            {
                LiteralInline literal => literal.Content.ToString(),
                CodeInline code => code.Content,
                LineBreakInline => " ",
                HtmlEntityInline entity => entity.Transcoded.ToString(),
                ContainerInline container => PlainText(container),
                _ => "",
            });
        }
        return text.ToString();
    }

    /// <summary>
    /// The allowlist, then the characters no stored text may hold (raw HTML can spell them as &amp;#1;, which the
    /// parser decodes) replaced by U+FFFD.
    /// </summary>
    private static string Sanitize(string html) => ValidationRules.ReplaceUnstorable(Sanitizer.Sanitize(html)).Trim();

    /// <summary>
    /// Markdig escapes text itself, so only raw HTML and link or image URLs (javascript:...) can carry markup into the
    /// output; a paragraph without them skips the sanitizer, which parses a whole HTML document each time.
    /// </summary>
    private static string SanitizeIfNeeded(LeafBlock block, string html) =>
        block.Inline?.Descendants().Any(i => i is HtmlInline or LinkInline or AutolinkInline or HtmlEntityInline) == false
            ? html
            : Sanitize(html);

    /// <summary>
    /// What a body may contain, spelled out rather than the library's defaults: text formatting, links, images,
    /// lists, quotes, code and tables. No forms or form controls (a body must not collect or submit anything), no
    /// style attribute (it could lay a fake page over the real one), no class, and no author-written id or name:
    /// on the page around the body those become globals (window.config, document.cookie...) that its scripts
    /// would read. Headings get their anchor ids from the server, not from the author's HTML.
    /// </summary>
    private static HtmlSanitizer CreateSanitizer() => new(new HtmlSanitizerOptions
    {
        AllowedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "pre", "code",
            "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "cite", "q", "kbd", "samp",
            "var", "span", "a", "img", "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        },
        AllowedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "lang", "dir", "start", "reversed",
        },
        UriAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "href", "src" },
        AllowedSchemes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "http", "https", "mailto" },
        AllowedCssProperties = new HashSet<string>(),
        AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
    });
}

/// <summary>One block of a body with its HTML and plain text.</summary>
public sealed record RenderedBlock(BodyBlock Block, string Html, string Text);
