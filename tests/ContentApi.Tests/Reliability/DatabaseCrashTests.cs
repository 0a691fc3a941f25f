using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>
/// The API on a PostgreSQL server of its own (the machine's binaries), which the test stops immediately, as a crash
/// would, and starts again while requests are in flight.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DatabaseCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LocalPostgres _server = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await LocalPostgres.StartAsync(DatabaseProvisioning.DefaultDataDirectory("crash-postgres"), NullLogger.Instance);
        _connectionString = _server.ConnectionString("contentapi_crash");
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        await db.Database.EnsureDeletedAsync();
        await db.Database.MigrateAsync();
        await new SeedImporter(db, TimeProvider.System).ImportAsync(SeedFiles.Read(TestDatabaseServer.SeedsFolder), SeedMode.FillMissing, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task While_the_database_is_down_answers_are_503_and_afterwards_it_recovers_with_every_acknowledged_write_kept()
    {
        await using var api = ApiFactory.With(new ApiSettings { Database = _connectionString });
        var editor = api.ClientWithKey(await api.CreateKeyAsync("crash-editor", "content:write"));
        editor.Timeout = TimeSpan.FromSeconds(20); // no request may hang anywhere near this
        var reader = api.ClientWithKey(null);
        reader.Timeout = TimeSpan.FromSeconds(20);

        var acknowledged = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var problems = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                var slug = $"crash-{worker}-{i}";
                var response = worker % 2 == 0
                    ? await editor.PostJsonAsync("/v1/manage/topics", new { slug, name = slug })
                    : await reader.GetAsync("/v1/articles?limit=20");
                var body = await response.Content.ReadAsStringAsync();
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                if (response.IsSuccessStatusCode && worker % 2 == 0)
                {
                    acknowledged.Add(slug);
                }
                else if (!response.IsSuccessStatusCode)
                {
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter is null
                        || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        problems.Add($"{(int)response.StatusCode} {body}");
                    }
                    await Task.Delay(50);
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(10))
                {
                    problems.Add($"a request took {clock.Elapsed}");
                }
            }
        })).ToList();

        await Task.Delay(1500);
        await _server.KillAsync();
        var down = Stopwatch.StartNew();
        await Task.Delay(500);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await reader.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/health/live")).StatusCode);
        var whileDown = await reader.GetAsync("/v1/articles/venezuela-defies-the-us");
        await whileDown.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(whileDown.Headers.RetryAfter);
        await Task.Delay(1500);

        await _server.RestartAsync();
        var back = Stopwatch.StartNew();
        TimeSpan? firstSuccess = null;
        while (back.Elapsed < TimeSpan.FromSeconds(10) && firstSuccess is null)
        {
            if ((await reader.GetAsync("/v1/articles/venezuela-defies-the-us")).StatusCode == HttpStatusCode.OK)
            {
                firstSuccess = back.Elapsed;
            }
            else
            {
                await Task.Delay(100);
            }
        }
        await Task.Delay(1000);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"down for {down.Elapsed.TotalSeconds:F1} s; first success {firstSuccess?.TotalMilliseconds:F0} ms after the restart; " +
                         $"statuses: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}"))}; {acknowledged.Count} writes acknowledged");
        Assert.Empty(problems);
        Assert.NotNull(firstSuccess);
        Assert.True(firstSuccess < TimeSpan.FromSeconds(5), $"the first success came {firstSuccess} after the restart");
        Assert.True(statuses.GetValueOrDefault(503) > 0, "no request met the outage");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/health/ready")).StatusCode);

        await using (var pooled = new Npgsql.NpgsqlConnection(_connectionString))
        {
            Npgsql.NpgsqlConnection.ClearPool(pooled); // this test's own pooled connections died with the server too
        }
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        var stored = (await db.Topics.Where(t => t.Slug.StartsWith("crash-")).Select(t => t.Slug).ToListAsync()).ToHashSet();
        Assert.DoesNotContain(acknowledged, slug => !stored.Contains(slug));
    }
}
