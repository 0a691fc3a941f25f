// A newsroom's day against a running API: readers request a Zipf-distributed mix of URLs (the first paths in the
// file are the most popular) while an editor changes one article every 2 seconds through the management API (edits
// the dek of a popular article; every fourth change publishes a new one). Prints one line of figures.
//
//   Newsroom BASE_URL KEY PATHS_FILE EDITS_FILE SECONDS [READERS]
//
// EDITS_FILE: a first line "new SECTION_ID AUTHOR_ID" for the new articles, then the ids of articles to edit, in turn.
//
// An answer is stale when it shows an article with an updatedAt older than an edit whose answer the editor had
// received before the request was sent. Every answer that shows an edited article is checked.
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Newsroom BASE_URL KEY PATHS_FILE EDITS_FILE SECONDS [READERS]");
    return 2;
}
var baseUrl = new Uri(args[0]);
var key = args[1];
var paths = File.ReadAllLines(args[2]).Where(l => l.Length > 0).ToArray();
var editLines = File.ReadAllLines(args[3]).Where(l => l.Length > 0).ToArray();
var duration = TimeSpan.FromSeconds(int.Parse(args[4], CultureInfo.InvariantCulture));
var readers = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 32;
var newArticle = editLines[0].Split(' ');
var edited = editLines.Skip(1).ToArray();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = readers + 2, AutomaticDecompression = System.Net.DecompressionMethods.None })
{
    BaseAddress = baseUrl,
    Timeout = TimeSpan.FromSeconds(60),
};

// Popularity: the k-th path is asked for in proportion to 1/k.
var cumulative = new double[paths.Length];
var sum = 0.0;
for (var k = 0; k < paths.Length; k++)
{
    sum += 1.0 / (k + 1);
    cumulative[k] = sum;
}

var clock = Stopwatch.StartNew();
var deadline = duration;
// What the editor has been told so far; replaced (never changed) after each acknowledged change.
var acknowledged = new Acknowledged([]);
var latencies = new ConcurrentBag<double>();
var failures = new ConcurrentDictionary<string, int>(); // status code (or exception) -> how many
long requests = 0, errors = 0, hits = 0, checkedAnswers = 0, staleAnswers = 0;

async Task ReadAsync(int seed)
{
    var random = new Random(seed);
    while (clock.Elapsed < deadline)
    {
        var at = Array.BinarySearch(cumulative, random.NextDouble() * sum);
        var path = paths[Math.Min(at < 0 ? ~at : at, paths.Length - 1)];
        var sent = clock.Elapsed;
        var known = Volatile.Read(ref acknowledged); // what the editor had been told before this request left
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
            Interlocked.Increment(ref requests);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
                failures.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                continue;
            }
            if (response.Headers.Age is not null)
            {
                Interlocked.Increment(ref hits); // the output cache sets Age on what it serves
            }
            if (body.AsSpan().IndexOfAny(known.Ids) >= 0)
            {
                Interlocked.Increment(ref checkedAnswers);
                var shown = UpdatedAtById(body);
                if (known.Changes.Any(e => shown.TryGetValue(e.Key, out var updatedAt) && updatedAt < e.Value.AddMilliseconds(-1)))
                {
                    Interlocked.Increment(ref staleAnswers);
                }
            }
        }
        catch (HttpRequestException ex)
        {
            Interlocked.Increment(ref errors);
            failures.AddOrUpdate(ex.HttpRequestError.ToString(), 1, (_, n) => n + 1);
        }
    }
}

var editorLatencies = new List<double>();
var changes = 0;
var failedChanges = 0;
async Task EditAsync()
{
    var next = 0;
    while (clock.Elapsed < deadline)
    {
        var started = clock.Elapsed;
        try
        {
            var (id, updatedAt) = changes % 4 == 3 ? await PublishNewAsync(changes) : await EditDekAsync(edited[next++ % edited.Length], changes);
            Volatile.Write(ref acknowledged, acknowledged.With(id, updatedAt));
            editorLatencies.Add((clock.Elapsed - started).TotalMilliseconds);
        }
        catch (HttpRequestException ex)
        {
            failedChanges++;
            Console.Error.WriteLine($"editor: {ex.Message}");
        }
        changes++;
        var wait = started + TimeSpan.FromSeconds(2) - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}

async Task<(string Id, DateTimeOffset UpdatedAt)> EditDekAsync(string id, int n)
{
    using var current = await SendAsync(HttpMethod.Get, $"/v1/manage/articles/{id}", null, null, null);
    using var patched = await SendAsync(HttpMethod.Patch, $"/v1/manage/articles/{id}", current.Headers.ETag?.Tag,
        "application/merge-patch+json", JsonSerializer.Serialize(new { dek = $"Edited in the newsroom scenario, change {n}." }));
    return await IdAndUpdatedAtAsync(patched);
}

async Task<(string Id, DateTimeOffset UpdatedAt)> PublishNewAsync(int n)
{
    var slug = $"newsroom-{DateTime.UtcNow:yyyyMMddHHmmss}-{n}";
    using var created = await SendAsync(HttpMethod.Post, "/v1/manage/articles", null, "application/json", JsonSerializer.Serialize(new
    {
        slug,
        title = $"Newsroom scenario article {n}",
        sectionId = newArticle[1],
        authorIds = new[] { newArticle[2] },
        body = "Published by the newsroom scenario of the benchmark.",
    }));
    var (id, _) = await IdAndUpdatedAtAsync(created);
    using var published = await SendAsync(HttpMethod.Post, $"/v1/manage/articles/{id}/publish", created.Headers.ETag?.Tag, null, null);
    return await IdAndUpdatedAtAsync(published);
}

async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? ifMatch, string? contentType, string? json)
{
    using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    if (ifMatch is not null)
    {
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
    }
    if (json is not null)
    {
        request.Content = new StringContent(json, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
    }
    var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        var problem = await response.Content.ReadAsStringAsync();
        response.Dispose();
        throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {problem}");
    }
    return response;
}

static async Task<(string Id, DateTimeOffset UpdatedAt)> IdAndUpdatedAtAsync(HttpResponseMessage response)
{
    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("updatedAt").GetDateTimeOffset());
}

// Every object in the answer with an id and an updatedAt: the article itself, or the cards of a list.
static Dictionary<string, DateTimeOffset> UpdatedAtById(string body)
{
    var found = new Dictionary<string, DateTimeOffset>();
    void Walk(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String &&
                e.TryGetProperty("updatedAt", out var at) && at.ValueKind == JsonValueKind.String)
            {
                found[id.GetString()!] = at.GetDateTimeOffset();
            }
            foreach (var p in e.EnumerateObject())
            {
                Walk(p.Value);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                Walk(item);
            }
        }
    }
    try
    {
        using var json = JsonDocument.Parse(body);
        Walk(json.RootElement);
    }
    catch (JsonException)
    {
        // a feed (XML) or another non-JSON answer: nothing to check
    }
    return found;
}


await Task.WhenAll(Enumerable.Range(0, readers).Select(i => Task.Run(() => ReadAsync(i))).Append(EditAsync()));
var seconds = clock.Elapsed.TotalSeconds;
var sorted = latencies.Order().ToArray();
double Percentile(double[] values, double p) => values.Length == 0 ? 0 : values[Math.Min(values.Length - 1, (int)(p / 100 * values.Length))];
var editorSorted = editorLatencies.Order().ToArray();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"NEWSROOM requests={requests} seconds={seconds:F1} rps={requests / seconds:F0} p50_ms={Percentile(sorted, 50):F1} " +
    $"p99_ms={Percentile(sorted, 99):F1} errors={errors} error_kinds={(failures.IsEmpty ? "none" : string.Join(',', failures.Select(f => $"{f.Key}:{f.Value}")))} cache_hits={hits} hit_ratio={(double)hits / Math.Max(1, requests):F3} " +
    $"checked={checkedAnswers} stale={staleAnswers} stale_share={(double)staleAnswers / Math.Max(1, checkedAnswers):F4} " +
    $"changes={changes} failed_changes={failedChanges} change_p50_ms={Percentile(editorSorted, 50):F0} change_p99_ms={Percentile(editorSorted, 99):F0}"));
return 0;

#pragma warning disable CA1050 // a top-level program's own types
/// <summary>Each changed article's id and the updatedAt of its last acknowledged change, and a fast search for the ids.</summary>
sealed record Acknowledged(Dictionary<string, DateTimeOffset> Changes)
{
    public SearchValues<string> Ids { get; } = SearchValues.Create([.. Changes.Keys, "\u0000none"], StringComparison.Ordinal);

    public Acknowledged With(string id, DateTimeOffset updatedAt) => new(new Dictionary<string, DateTimeOffset>(Changes) { [id] = updatedAt });
}
#pragma warning restore CA1050
