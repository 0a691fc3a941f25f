using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace ContentApi.Search;

/// <summary>
/// Search snippets, made here rather than by PostgreSQL's <c>ts_headline</c>. A headline parses its text and looks up
/// every word's stem in the database; for twenty hits of 800 characters that was the largest part of a search's
/// database time (about 0.2 ms a hit by pgbench, and the most time of any search statement under load). Here the
/// text's words are stemmed as the english configuration does (<see cref="EnglishStemmer"/>) up to the first that
/// matches, and the passage around it is cut at words, with the words whose stem is one of the query's marked.
/// </summary>
public static partial class Snippets
{
    /// <summary>The most words a snippet holds.</summary>
    public const int MaxWords = 35;
    /// <summary>How many words come before the first match, when there are that many.</summary>
    private const int WordsBefore = 5;

    // Control characters cannot occur in stored text, so they mark matches safely until the text is escaped.
    public const char MarkStart = '\u0002';
    public const char MarkEnd = '\u0003';

    [GeneratedRegex("'((?:[^']|'')+)'")]
    private static partial Regex QuotedLexeme();

    /// <summary>The stems a query looks for, from PostgreSQL's <c>querytree</c> of it (<c>'oil' &lt;-&gt; 'pipelin'</c>).</summary>
    public static HashSet<string> StemsOf(string queryTree) =>
        QuotedLexeme().Matches(queryTree).Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A passage of up to <see cref="MaxWords"/> words of <paramref name="text"/> from just before its first word with
    /// one of <paramref name="stems"/> (from its start when none has), those words between the markers; null when the
    /// text has no words. Words are read only as far as the passage needs.
    /// </summary>
    public static string? Make(string text, IReadOnlySet<string> stems)
    {
        var words = new List<(int Start, int End, bool Matched)>();
        var firstMatch = -1;
        // A lexeme starts with its word's first letter, lower-cased: other words are not stemmed at all. A body whose
        // match is only in its title was otherwise stemmed whole, word by word (by profile, a tenth of the API's CPU
        // under the bench's search mix went to looking words up).
        var initials = string.Concat(stems.Select(s => s[0]).Distinct());
        foreach (var (start, end) in new WordRuns(text))
        {
            if (firstMatch >= 0 && words.Count >= firstMatch + MaxWords)
            {
                break;
            }
            var matched = initials.Contains(char.ToLowerInvariant(text[start]), StringComparison.Ordinal)
                          && stems.Contains(LexemeOf(text.AsSpan(start, end - start)));
            if (matched && firstMatch < 0)
            {
                firstMatch = words.Count;
            }
            words.Add((start, end, matched));
        }
        if (words.Count == 0)
        {
            return null;
        }
        var from = firstMatch < 0 ? 0 : Math.Max(0, Math.Min(firstMatch - WordsBefore, words.Count - MaxWords));
        // The words before the match start after a sentence or a line that ends among them.
        for (var i = firstMatch - 1; i >= from; i--)
        {
            if (text.AsSpan(words[i].End, words[i + 1].Start - words[i].End).IndexOfAny(".!?\n") >= 0)
            {
                from = i + 1;
                break;
            }
        }
        var to = Math.Min(words.Count, from + MaxWords);

        var snippet = new StringBuilder();
        var at = words[from].Start;
        for (var i = from; i < to; i++)
        {
            var (start, end, matched) = words[i];
            snippet.Append(text, at, start - at);
            if (matched)
            {
                snippet.Append(MarkStart).Append(text, start, end - start).Append(MarkEnd);
            }
            else
            {
                snippet.Append(text, start, end - start);
            }
            at = end;
        }
        return snippet.ToString();
    }

    // Stemming a word costs about a microsecond, and a page of snippets holds some 2,500 words, nearly all seen before:
    // the lexemes are kept, up to 100,000 words (an estimated 15 MB), more than an archive's vocabulary holds. The bench's has
    // 30,000. Past the bound, new words are stemmed each time.
    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);
    private const int MaxKnown = 100_000;
    private static int _known;

    /// <summary>
    /// The lexeme PostgreSQL's english configuration makes of a word: lower case, stemmed unless it holds a digit
    /// (numbers and words with digits go through its simple dictionary); none (empty) for a stop word.
    /// </summary>
    internal static string LexemeOf(ReadOnlySpan<char> word)
    {
        Span<char> lower = word.Length <= 64 ? stackalloc char[word.Length] : new char[word.Length];
        word.ToLowerInvariant(lower);
        if (Known.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(lower, out var known))
        {
            return known;
        }
        var text = lower.ToString();
        var lexeme = WordFrequencies.StopWords.Contains(text) ? "" : text.Any(char.IsDigit) ? text : EnglishStemmer.Stem(text);
        if (Volatile.Read(ref _known) < MaxKnown && Known.TryAdd(text, lexeme))
        {
            Interlocked.Increment(ref _known);
        }
        return lexeme;
    }
}

/// <summary>The runs of letters and digits in a text, start and end, in order: its words, near enough to PostgreSQL's.</summary>
internal ref struct WordRuns(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _next;

    public (int Start, int End) Current { get; private set; }

    public readonly WordRuns GetEnumerator() => this;

    public bool MoveNext()
    {
        var i = _next;
        while (i < _text.Length && !char.IsLetterOrDigit(_text[i]))
        {
            i++;
        }
        var start = i;
        while (i < _text.Length && char.IsLetterOrDigit(_text[i]))
        {
            i++;
        }
        _next = i;
        Current = (start, i);
        return i > start;
    }
}
