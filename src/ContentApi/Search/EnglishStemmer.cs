using System.Text;

namespace ContentApi.Search;

/// <summary>
/// The English stemmer of PostgreSQL's english text search configuration (Snowball's "english", also called Porter2),
/// so that a snippet can mark the words a search matched without the database parsing the text again (see
/// <see cref="Snippets"/>). Written from the algorithm's published description; a test compares it with PostgreSQL's
/// <c>ts_lexize('english_stem', ...)</c> over the seed articles' words and the bench's vocabulary.
/// </summary>
public static class EnglishStemmer
{
    // Words the algorithm would get wrong, with their stems.
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["skis"] = "ski", ["skies"] = "sky", ["dying"] = "die", ["lying"] = "lie", ["tying"] = "tie", ["idly"] = "idl",
        ["gently"] = "gentl", ["ugly"] = "ugli", ["early"] = "earli", ["only"] = "onli", ["singly"] = "singl",
        ["sky"] = "sky", ["news"] = "news", ["howe"] = "howe", ["atlas"] = "atlas", ["cosmos"] = "cosmos",
        ["bias"] = "bias", ["andes"] = "andes",
    };

    // Left as they are once step 1a has run.
    private static readonly HashSet<string> KeptAfterPlurals =
        ["inning", "outing", "canning", "herring", "earring", "proceed", "exceed", "succeed"];

    // Words whose first region starts after this prefix, not at the usual place.
    private static readonly string[] RegionPrefixes = ["gener", "commun", "arsen"];

    /// <summary>The stem of a lower-case word.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 2)
        {
            return word;
        }
        if (Irregular.TryGetValue(word, out var irregular))
        {
            return irregular;
        }
        var w = new StringBuilder(word);
        if (w[0] == '\'')
        {
            w.Remove(0, 1);
        }
        // A y that acts as a consonant is written Y while stemming: at the start, or after a vowel.
        for (var i = 0; i < w.Length; i++)
        {
            if (w[i] == 'y' && (i == 0 || IsVowel(w[i - 1])))
            {
                w[i] = 'Y';
            }
        }
        var r1 = RegionPrefixes.FirstOrDefault(p => w.ToString().StartsWith(p, StringComparison.Ordinal)) is { } prefix
            ? prefix.Length
            : RegionAfter(w, 0);
        var r2 = RegionAfter(w, r1);

        RemovePossessive(w);
        RemovePlural(w);
        if (KeptAfterPlurals.Contains(w.ToString()))
        {
            return w.ToString();
        }
        RemovePastAndProgressive(w, r1);
        if (w.Length > 2 && w[^1] is 'y' or 'Y' && !IsVowel(w[^2]))
        {
            w[^1] = 'i';
        }
        ReplaceInR1(w, r1, r2, Step2);
        ReplaceInR1(w, r1, r2, Step3);
        RemoveInR2(w, r2);
        RemoveFinalEOrL(w, r1, r2);
        return w.Replace('Y', 'y').ToString();
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    /// <summary>Where the region starts that follows the first non-vowel after a vowel, looking from <paramref name="from"/>.</summary>
    private static int RegionAfter(StringBuilder w, int from)
    {
        for (var i = from + 1; i < w.Length; i++)
        {
            if (!IsVowel(w[i]) && IsVowel(w[i - 1]))
            {
                return i + 1;
            }
        }
        return w.Length;
    }

    /// <summary>A short syllable ends at <paramref name="end"/> (exclusive): vowel, then a non-vowel other than w, x or Y.</summary>
    private static bool EndsInShortSyllable(StringBuilder w, int end) =>
        end == 2 ? IsVowel(w[0]) && !IsVowel(w[1])
        : end > 2 && !IsVowel(w[end - 3]) && IsVowel(w[end - 2]) && !IsVowel(w[end - 1]) && w[end - 1] is not ('w' or 'x' or 'Y');

    private static bool EndsWith(StringBuilder w, string suffix)
    {
        if (w.Length < suffix.Length)
        {
            return false;
        }
        for (var i = 0; i < suffix.Length; i++)
        {
            if (w[w.Length - suffix.Length + i] != suffix[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The longest of <paramref name="suffixes"/> the word ends with, or null.</summary>
    private static string? Longest(StringBuilder w, IEnumerable<string> suffixes) =>
        suffixes.Where(s => EndsWith(w, s)).MaxBy(s => s.Length);

    private static void Replace(StringBuilder w, string suffix, string by) => w.Remove(w.Length - suffix.Length, suffix.Length).Append(by);

    private static bool HasVowelBefore(StringBuilder w, int end)
    {
        for (var i = 0; i < end; i++)
        {
            if (IsVowel(w[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static void RemovePossessive(StringBuilder w)
    {
        if (Longest(w, ["'s'", "'s", "'"]) is { } suffix)
        {
            Replace(w, suffix, "");
        }
    }

    private static void RemovePlural(StringBuilder w)
    {
        var suffix = Longest(w, ["sses", "ied", "ies", "s", "us", "ss"]);
        switch (suffix)
        {
            case "sses":
                Replace(w, "sses", "ss");
                break;
            case "ied" or "ies":
                Replace(w, suffix, w.Length > 4 ? "i" : "ie");
                break;
            // An s goes when a vowel comes before the letter before it: gaps -> gap, but gas stays.
            case "s" when HasVowelBefore(w, w.Length - 2):
                w.Length--;
                break;
        }
    }

    private static void RemovePastAndProgressive(StringBuilder w, int r1)
    {
        var suffix = Longest(w, ["eed", "eedly", "ed", "edly", "ing", "ingly"]);
        if (suffix is "eed" or "eedly")
        {
            if (w.Length - suffix.Length >= r1)
            {
                Replace(w, suffix, "ee");
            }
            return;
        }
        if (suffix is null || !HasVowelBefore(w, w.Length - suffix.Length))
        {
            return;
        }
        w.Length -= suffix.Length;
        if (EndsWith(w, "at") || EndsWith(w, "bl") || EndsWith(w, "iz"))
        {
            w.Append('e');
        }
        else if (w.Length >= 2 && w[^1] == w[^2] && w[^1] is 'b' or 'd' or 'f' or 'g' or 'm' or 'n' or 'p' or 'r' or 't')
        {
            w.Length--;
        }
        else if (r1 >= w.Length && EndsInShortSyllable(w, w.Length))
        {
            w.Append('e');
        }
    }

    private static readonly (string Suffix, string By)[] Step2 =
    [
        ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"), ("izer", "ize"),
        ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("aliti", "al"),
        ("alli", "al"), ("fulness", "ful"), ("ousli", "ous"), ("ousness", "ous"), ("iveness", "ive"), ("iviti", "ive"),
        ("biliti", "ble"), ("bli", "ble"), ("ogi", "og"), ("fulli", "ful"), ("lessli", "less"), ("li", ""),
    ];

    private static readonly (string Suffix, string By)[] Step3 =
    [
        ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"),
        ("ful", ""), ("ness", ""), ("ative", ""),
    ];

    /// <summary>Steps 2 and 3: the longest suffix of the list, replaced when it lies in the first region.</summary>
    private static void ReplaceInR1(StringBuilder w, int r1, int r2, (string Suffix, string By)[] step)
    {
        if (Longest(w, step.Select(s => s.Suffix)) is not { } suffix || w.Length - suffix.Length < r1)
        {
            return;
        }
        var start = w.Length - suffix.Length;
        var allowed = suffix switch
        {
            "ogi" => start > 0 && w[start - 1] == 'l',
            "li" => start > 0 && w[start - 1] is 'c' or 'd' or 'e' or 'g' or 'h' or 'k' or 'm' or 'n' or 'r' or 't',
            "ative" => start >= r2,
            _ => true,
        };
        if (allowed)
        {
            Replace(w, suffix, step.First(s => s.Suffix == suffix).By);
        }
    }

    private static readonly string[] Step4 =
        ["al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion"];

    /// <summary>Step 4: the longest suffix of the list goes when it lies in the second region (ion only after s or t).</summary>
    private static void RemoveInR2(StringBuilder w, int r2)
    {
        if (Longest(w, Step4) is not { } suffix || w.Length - suffix.Length < r2)
        {
            return;
        }
        var start = w.Length - suffix.Length;
        if (suffix != "ion" || (start > 0 && w[start - 1] is 's' or 't'))
        {
            w.Length = start;
        }
    }

    private static void RemoveFinalEOrL(StringBuilder w, int r1, int r2)
    {
        var last = w.Length - 1;
        if (w[last] == 'e' && (last >= r2 || (last >= r1 && !EndsInShortSyllable(w, last))))
        {
            w.Length = last;
        }
        else if (w[last] == 'l' && last >= r2 && last > 0 && w[last - 1] == 'l')
        {
            w.Length = last;
        }
    }
}
