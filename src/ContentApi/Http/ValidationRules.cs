using System.Globalization;
using ContentApi.Content.Configurations;
using FluentValidation;

namespace ContentApi.Http;

/// <summary>Rules that requests and seed files share.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, string?> ValidSlug<T>(this IRuleBuilder<T, string?> rule) => rule
        .NotEmpty()
        .MaximumLength(Slugs.MaxLength)
        .Matches(Slugs.Pattern)
        .WithMessage("'{PropertyName}' must be lowercase a-z, 0-9 and single hyphens, like 'latin-america'.");

    public static IRuleBuilderOptions<T, string?> HttpUrl<T>(this IRuleBuilder<T, string?> rule) => rule
        .MaximumLength(2048)
        .Must(url => url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                                     && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        .WithMessage("'{PropertyName}' must be an absolute http or https URL.");

    /// <summary>
    /// Where <paramref name="text"/> holds a character no stored text may hold, or -1: a control character other
    /// than tab, line feed and carriage return, U+FFFE or U+FFFF, or half a surrogate pair. XML (the RSS and Atom
    /// feeds) cannot carry them, and nobody types them on purpose.
    /// </summary>
    public static int IndexOfUnstorable(string text, int start = 0)
    {
        for (var i = start; i < text.Length; i++)
        {
            // Most text is printable ASCII, which is skipped in vector-wide steps: feeds check every body they carry.
            var next = text.AsSpan(i).IndexOfAnyExceptInRange(' ', '~');
            if (next < 0)
            {
                return -1;
            }
            i += next;
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if ((char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The message for a field whose text holds such a character at <paramref name="index"/>.</summary>
    public static string UnstorableMessage(string field, string text, int index) => string.Format(CultureInfo.InvariantCulture,
        "'{0}' contains U+{1:X4} at position {2}, a control character (or non-character) that cannot be stored; remove it. Tab, line feed and carriage return are allowed.",
        field, (int)text[index], index + 1);

    /// <summary>The text with each character <see cref="IndexOfUnstorable"/> finds replaced by U+FFFD.</summary>
    public static string ReplaceUnstorable(string text)
    {
        var index = IndexOfUnstorable(text);
        if (index < 0)
        {
            return text;
        }
        var chars = text.ToCharArray();
        for (; index >= 0; index = IndexOfUnstorable(text, index + 1))
        {
            chars[index] = '\uFFFD';
        }
        return new string(chars);
    }
}
