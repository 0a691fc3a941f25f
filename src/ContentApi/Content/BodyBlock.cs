using System.Text.Json.Serialization;

namespace ContentApi.Content;

/// <summary>One structured piece of an article body, for frontends that render blocks instead of HTML.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ParagraphBodyBlock), "paragraph")]
[JsonDerivedType(typeof(HeadingBodyBlock), "heading")]
[JsonDerivedType(typeof(FigureBodyBlock), "figure")]
[JsonDerivedType(typeof(QuoteBodyBlock), "quote")]
[JsonDerivedType(typeof(ListBodyBlock), "list")]
[JsonDerivedType(typeof(CodeBodyBlock), "code")]
[JsonDerivedType(typeof(HtmlBodyBlock), "html")]
public abstract record BodyBlock;

/// <summary>A paragraph: sanitized inline HTML (links, emphasis) and the same as plain text.</summary>
public sealed record ParagraphBodyBlock(string Html, string Text) : BodyBlock;

/// <summary>A subheading, with the anchor its HTML heading carries as <c>id</c>.</summary>
public sealed record HeadingBodyBlock(int Level, string Text, string Anchor) : BodyBlock;

/// <summary>A photo in the body, with its caption and credit.</summary>
public sealed record FigureBodyBlock(string Key, string Url, string? Alt, string? Caption, string? Credit) : BodyBlock;

/// <summary>A block quotation: sanitized HTML of its content and the same as plain text.</summary>
public sealed record QuoteBodyBlock(string Html, string Text) : BodyBlock;

/// <summary>A bulleted or numbered list; each item is sanitized inline HTML.</summary>
public sealed record ListBodyBlock(bool Ordered, IReadOnlyList<string> Items) : BodyBlock;

/// <summary>Preformatted text, with the language named on its fence when there is one.</summary>
public sealed record CodeBodyBlock(string? Language, string Text) : BodyBlock;

/// <summary>Raw HTML from the Markdown source, after sanitizing.</summary>
public sealed record HtmlBodyBlock(string Html) : BodyBlock;
