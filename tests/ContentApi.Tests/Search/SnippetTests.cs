using ContentApi.Search;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Search;

/// <summary>Snippets are made in the API, so its stemming must be PostgreSQL's, word for word.</summary>
public sealed class SnippetTests
{
    // Words that take each rule of the algorithm, and its exceptions.
    private static readonly string[] RuleWords =
    [
        "caresses", "ponies", "ties", "cries", "cats", "gas", "gaps", "kiwis", "us", "press", "agreed", "feed", "plastered",
        "bled", "motoring", "sing", "conflated", "troubled", "sized", "hopping", "tanned", "falling", "hissing", "fizzed",
        "failing", "filing", "hoping", "happy", "sky", "cry", "say", "relational", "conditional", "rational", "valenci",
        "hesitanci", "digitizer", "conformabli", "radicalli", "differentli", "vileli", "analogousli", "vietnamization",
        "predication", "operator", "feudalism", "decisiveness", "hopefulness", "callousness", "formaliti", "sensitiviti",
        "sensibiliti", "triplicate", "formative", "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival",
        "allowance", "inference", "airliner", "gyroscopic", "adjustable", "defensible", "irritant", "replacement",
        "adjustment", "dependent", "adoption", "homologou", "communism", "activate", "angulariti", "homologous", "effective",
        "bowdlerize", "probate", "rate", "cease", "controll", "roll", "generously", "generate", "communication", "arsenal",
        "skis", "skies", "dying", "lying", "tying", "idly", "gently", "ugly", "early", "only", "singly", "news", "howe",
        "atlas", "cosmos", "bias", "andes", "inning", "innings", "outing", "canning", "herring", "earring", "proceed",
        "exceed", "succeed", "'tis", "venezuela's", "governments", "governor", "yearly", "crying", "enjoying", "sayings",
        "archaeology", "geology", "fully", "endlessly", "mediation", "abbey", "abbeys", "monastery", "liturgical",
    ];

    [Fact]
    public async Task Words_are_stemmed_and_stop_words_left_out_as_PostgreSQLs_english_configuration_does()
    {
        var connectionString = await TestDatabaseServer.CloneTemplateAsync();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var words = new HashSet<string>(RuleWords.Concat(SyntheticArticles.Vocabulary.Value).Concat(WordFrequencies.StopWords), StringComparer.Ordinal);
            await using (var seeds = new NpgsqlCommand("""
                SELECT DISTINCT lower(w) FROM articles,
                    regexp_split_to_table(title || ' ' || coalesce(dek, '') || ' ' || body_text, '[^[:alpha:]]+') AS w
                WHERE w <> ''
                """, connection))
            await using (var r = await seeds.ExecuteReaderAsync())
            {
                while (await r.ReadAsync())
                {
                    words.Add(r.GetString(0));
                }
            }

            var mismatches = new List<string>();
            var compared = 0;
            var stopWords = new HashSet<string>(StringComparer.Ordinal);
            var initialsChanged = new List<string>();
            await using var lexize = new NpgsqlCommand("SELECT w, ts_lexize('english_stem', w) FROM unnest(@words) AS w", connection);
            lexize.Parameters.AddWithValue("words", words.ToArray());
            await using (var r = await lexize.ExecuteReaderAsync())
            {
                while (await r.ReadAsync())
                {
                    var stems = r.GetFieldValue<string[]>(1);
                    if (stems.Length == 0)
                    {
                        stopWords.Add(r.GetString(0)); // never a lexeme
                        continue;
                    }
                    compared++;
                    if (char.IsLetterOrDigit(r.GetString(0)[0]) && stems[0][0] != r.GetString(0)[0])
                    {
                        initialsChanged.Add($"{r.GetString(0)}: {stems[0]}");
                    }
                    var ours = EnglishStemmer.Stem(r.GetString(0));
                    if (ours != stems[0])
                    {
                        mismatches.Add($"{r.GetString(0)}: PostgreSQL {stems[0]}, ours {ours}");
                    }
                }
            }
            Assert.True(compared > 30_000, $"only {compared} words compared");
            // A snippet looks up only the words that start as one of the query's lexemes does.
            Assert.Empty(initialsChanged);
            // Search's estimate of how many articles a query matches leaves the same words out.
            Assert.Equal(stopWords.Order(), WordFrequencies.StopWords.Order());
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} differ: {string.Join("; ", mismatches.Take(30))}");
        }
        finally
        {
            await TestDatabaseServer.DropAsync(connectionString);
        }
    }

    [Fact]
    public void A_snippet_marks_every_form_of_the_query_words_and_nothing_else()
    {
        var snippet = Snippets.Make("The governments governed badly, said the governor; government-run mines closed.",
            Snippets.StemsOf("'govern' & 'mine'"));

        Assert.Equal("The \u0002governments\u0003 \u0002governed\u0003 badly, said the governor; \u0002government\u0003-run " +
                     "\u0002mines\u0003 closed", snippet);
        Assert.Equal("\u0002Mines\u0003 closed", Snippets.Make("Mines closed", Snippets.StemsOf("'mine'")));
        // "once" is a stop word, never a lexeme, though it stems as "onces" does.
        Assert.Equal("Once more, \u0002onces\u0003", Snippets.Make("Once more, onces", Snippets.StemsOf("'onc'")));
    }

    [Fact]
    public void A_snippet_starts_a_few_words_before_the_first_match_and_holds_at_most_35_words()
    {
        var text = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"w{i}")) + " pipelines " +
                   string.Join(' ', Enumerable.Range(61, 80).Select(i => $"w{i}"));

        var snippet = Snippets.Make(text, Snippets.StemsOf("'oil' <-> 'pipelin'"))!;

        Assert.StartsWith("w56 w57 w58 w59 w60 \u0002pipelines\u0003 w61", snippet);
        Assert.Equal(Snippets.MaxWords, snippet.Split(' ').Length);
        Assert.Equal("w1 w2 w3", Snippets.Make("w1 w2 w3", Snippets.StemsOf("'x'")));
        // Nor does it reach back past the end of a sentence or a line.
        Assert.StartsWith("W3 \u0002pipelines\u0003", Snippets.Make("w1. W2\n\nW3 pipelines w4", Snippets.StemsOf("'pipelin'")));
        // A match near the end still gets a passage of 35 words, most of them before it.
        var atTheEnd = Snippets.Make(text.Replace(" pipelines ", " "), Snippets.StemsOf("'w140'"))!;
        Assert.StartsWith("w106 w107", atTheEnd);
        Assert.EndsWith("w139 \u0002w140\u0003", atTheEnd);
    }
}
