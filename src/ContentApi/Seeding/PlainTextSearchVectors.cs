using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Text;
using ContentApi.Content.Configurations;
using Npgsql;

namespace ContentApi.Seeding;

/// <summary>
/// Works out an article's search vector the way the articles_search_vector trigger does (each part's english
/// lexemes, weighted, concatenated), for text made only of known words: computing them in the COPY was two thirds of
/// PostgreSQL's work in an import. Each word's lexeme is PostgreSQL's own, asked once per word; what is left to do is
/// the positions, with to_tsvector's and the tsvector || operator's rules. Text with anything else in it (digits,
/// hyphens, other letters, punctuation not followed by a space, an unknown word) gets no vector here, and the trigger
/// computes it. The import checks a sample of these vectors against PostgreSQL's.
/// </summary>
public sealed class PlainTextSearchVectors
{
    /// <summary>The article's parts, in the trigger's order (ArticleSearchVectorByTrigger).</summary>
    public static readonly (string Column, char Weight)[] ArticleParts = [("title", 'A'), ("dek", 'B'), ("excerpt", 'C'), ("body_text", 'D')];

    /// <summary>PostgreSQL's expression for the same vector, to check these against.</summary>
    public static readonly string ArticleSql = SearchVectors.Sql(ArticleParts);

    // PostgreSQL's limits (tsvector.h): a position is 1 to 16,383, and a lexeme keeps at most 256 of them; to_tsvector
    // keeps at most 255 per text.
    private const int LastPosition = 16_383;
    private const int PositionsPerLexeme = 256;
    private const int PositionsPerText = 255;

    // Each word's lexeme as a number: lexemes are numbered in PostgreSQL's order (their bytes compared), so that a
    // vector's lexemes sort as numbers. A stop word's number is -1.
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly byte[][] _lexemeBytes; // each lexeme's UTF-8 bytes and a closing zero, as tsvectorrecv reads it
    private readonly int _lexemeCount;

    [ThreadStatic] private static Work? _threadWork; // the import renders on two threads at once

    private PlainTextSearchVectors(Dictionary<string, string> lexemes)
    {
        var ordered = lexemes.Values.Where(l => l.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        var number = ordered.Select((lexeme, i) => (lexeme, i)).ToDictionary(p => p.lexeme, p => p.i);
        _words = lexemes.ToFrozenDictionary(w => w.Key, w => w.Value.Length == 0 ? -1 : number[w.Value])
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _lexemeBytes = ordered.Select(l => Encoding.UTF8.GetBytes(l + "\0")).ToArray();
        _lexemeCount = ordered.Length;
    }

    /// <summary>
    /// Asks PostgreSQL for each word's lexeme (a word it makes into more than one is left out). Null when its parser
    /// reads the punctuation allowed between words otherwise than this does, as it may under another locale.
    /// </summary>
    public static async Task<PlainTextSearchVectors?> LoadAsync(NpgsqlDataSource dataSource, IEnumerable<string> words, CancellationToken ct)
    {
        const string probe = "The alpha, beta; gamma: delta! epsilon? zeta.\n\nEta theta… iota…";
        var lexemes = new Dictionary<string, string>();
        await using (var command = dataSource.CreateCommand("""
            SELECT w, ARRAY(SELECT lexeme FROM unnest(to_tsvector('english'::regconfig, w))) FROM unnest($1::text[]) AS w
            """))
        {
            string[] probeWords = ["the", "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"];
            command.Parameters.Add(new NpgsqlParameter { Value = words.Concat(probeWords).Select(w => w.ToLowerInvariant()).Distinct().ToArray() });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var made = reader.GetFieldValue<string[]>(1);
                if (made.Length <= 1)
                {
                    lexemes[reader.GetString(0)] = made.FirstOrDefault() ?? "";
                }
            }
        }
        var vectors = new PlainTextSearchVectors(lexemes);
        await using var check = dataSource.CreateCommand("SELECT tsvectorsend(setweight(to_tsvector('english'::regconfig, $1), 'B'))");
        check.Parameters.Add(new NpgsqlParameter { Value = probe });
        var expected = (byte[])(await check.ExecuteScalarAsync(ct))!;
        return vectors.Of((probe, 'B')) is { } ours && ours.AsSpan().SequenceEqual(expected) ? vectors : null;
    }

    /// <summary>
    /// The vector of the parts (text and weight, in order) in PostgreSQL's binary form, the one a binary COPY writes
    /// (tsvectorrecv reads it); null when one of the parts is not plain known words.
    /// </summary>
    public byte[]? Of(params (string? Text, char Weight)[] parts) => Of(parts.Select(p => (Words(p.Text), p.Weight)).ToArray());

    /// <summary>The same, of texts already read into words (<see cref="Words"/>).</summary>
    public byte[]? Of(params (int[]? Words, char Weight)[] parts)
    {
        var work = _threadWork is { } kept && kept.For == this ? kept : _threadWork = new Work(this);
        work.Start();
        var shift = 0; // `left || right` moves the right's positions past the left's highest
        foreach (var (words, weight) in parts)
        {
            if (words is null)
            {
                return null;
            }
            shift = work.AddPart(words, (ulong)('D' - weight), shift); // A is 3, D is 0
        }
        return work.Write(_lexemeBytes);
    }

    /// <summary>
    /// The lexeme number of each word of a text in order (-1 for a stop word), or null when the text is not plain known
    /// words. Texts whose words are read once and used many times (the synthetic bodies' paragraphs) save the lookups.
    /// </summary>
    public int[]? Words(string? text)
    {
        var words = new List<int>();
        for (var i = 0; i < (text ?? "").Length;)
        {
            var c = text![i];
            if (char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }
                if (!TryLexeme(text.AsSpan(start, i - start), out var lexeme))
                {
                    return null;
                }
                words.Add(lexeme);
                continue;
            }
            // Between words: spaces, and sentence punctuation (an ellipsis ends a cut excerpt) before a space or the
            // end. Anything else may make PostgreSQL's parser read another kind of token (a host name, a number...).
            var spaceOrEnd = i + 1 == text.Length || text[i + 1] is ' ' or '\n';
            if (!(c is ' ' or '\n' || c is '.' or ',' or ';' or ':' or '!' or '?' or '…' && spaceOrEnd))
            {
                return null;
            }
            i++;
        }
        return words.ToArray();
    }

    /// <summary>The lexeme number of a word (a number less than zero for a stop word); false for a word not known.</summary>
    private bool TryLexeme(ReadOnlySpan<char> word, out int lexeme)
    {
        if (word.Length > 64) // longer than any word looked up, and than the stack should hold
        {
            lexeme = 0;
            return false;
        }
        Span<char> lower = stackalloc char[word.Length];
        word.ToLowerInvariant(lower);
        return _words.TryGetValue(lower, out lexeme);
    }

    /// <summary>One thread's scratch space: what an article's words added so far, kept between articles.</summary>
    private sealed class Work(PlainTextSearchVectors vectors)
    {
        public PlainTextSearchVectors For { get; } = vectors;

        // Per lexeme, for the part being read: how many positions to_tsvector kept, and the last.
        private readonly int[] _partCount = new int[vectors._lexemeCount];
        private readonly int[] _partLast = new int[vectors._lexemeCount];
        private readonly int[] _partSeen = new int[vectors._lexemeCount];
        // Per lexeme, for the whole vector: how many positions it has, and whether the last was the highest possible.
        private readonly int[] _count = new int[vectors._lexemeCount];
        private readonly bool[] _full = new bool[vectors._lexemeCount];
        private readonly int[] _articleSeen = new int[vectors._lexemeCount];
        private readonly List<ulong> _positions = []; // lexeme << 32 | position << 2 | weight: sorted, the vector's order
        private int _article;
        private int _part;

        public void Start()
        {
            _article++;
            _positions.Clear();
        }

        /// <summary>
        /// to_tsvector's positions of one text (every word counts one, stop words too), moved and added as || does;
        /// returns the highest position in the vector so far.
        /// </summary>
        public int AddPart(int[] words, ulong weight, int shift)
        {
            _part++;
            var highest = shift;
            for (var i = 0; i < words.Length; i++)
            {
                if (words[i] >= 0)
                {
                    Add(words[i], Math.Min(i + 1, LastPosition), weight, shift, ref highest);
                }
            }
            return highest;
        }

        private void Add(int lexeme, int position, ulong weight, int shift, ref int highest)
        {
            if (_articleSeen[lexeme] != _article)
            {
                _articleSeen[lexeme] = _article;
                _count[lexeme] = 0;
                _full[lexeme] = false;
            }
            if (_partSeen[lexeme] != _part)
            {
                _partSeen[lexeme] = _part;
                _partCount[lexeme] = 0;
            }
            else if (_partCount[lexeme] >= PositionsPerText || _partLast[lexeme] == LastPosition || _partLast[lexeme] == position)
            {
                return; // to_tsvector keeps no more of this text's positions
            }
            _partCount[lexeme]++;
            _partLast[lexeme] = position;
            if (_count[lexeme] >= PositionsPerLexeme || _full[lexeme])
            {
                return; // || adds no more
            }
            var moved = Math.Min(position + shift, LastPosition);
            _count[lexeme]++;
            _full[lexeme] = moved == LastPosition;
            highest = Math.Max(highest, moved);
            _positions.Add((ulong)lexeme << 32 | (ulong)moved << 2 | weight);
        }

        public byte[] Write(byte[][] lexemeBytes)
        {
            var sorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_positions);
            sorted.Sort();
            var size = 4;
            var lexemes = 0;
            for (var i = 0; i < sorted.Length; i++)
            {
                size += 2;
                if (i == 0 || sorted[i] >> 32 != sorted[i - 1] >> 32)
                {
                    size += lexemeBytes[sorted[i] >> 32].Length + 2;
                    lexemes++;
                }
            }
            var bytes = new byte[size];
            var at = bytes.AsSpan();
            BinaryPrimitives.WriteInt32BigEndian(at, lexemes);
            at = at[4..];
            for (var i = 0; i < sorted.Length;)
            {
                var lexeme = (int)(sorted[i] >> 32);
                var end = i;
                while (end < sorted.Length && (int)(sorted[end] >> 32) == lexeme)
                {
                    end++;
                }
                lexemeBytes[lexeme].CopyTo(at); // with its closing zero byte
                at = at[lexemeBytes[lexeme].Length..];
                BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)(end - i));
                at = at[2..];
                for (; i < end; i++)
                {
                    var position = (ushort)((sorted[i] >> 2 & LastPosition) | (sorted[i] & 3) << 14);
                    BinaryPrimitives.WriteUInt16BigEndian(at, position);
                    at = at[2..];
                }
            }
            return bytes;
        }
    }
}
