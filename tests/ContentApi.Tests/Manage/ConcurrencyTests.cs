using System.Net;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Manage;

public sealed class ConcurrencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Racing_writers_on_one_article_lose_no_update()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("racers", "content:write"));
        var articles = (await editor.GetJsonAsync("/v1/manage/articles?limit=100")).GetProperty("items");
        var id = articles.EnumerateArray().First(a => a.GetProperty("slug").GetString() == "venezuela-defies-the-us").GetProperty("id").GetGuid();
        var url = $"/v1/manage/articles/{id}";
        var (start, _) = await editor.GetWithETagAsync(url);
        const int writers = 8, changesEach = 5;

        // Each writer appends its own markers to the dek: read, append, PATCH with If-Match, and on 412 read again.
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var change = 0; change < changesEach; change++)
            {
                while (true)
                {
                    var (current, etag) = await editor.GetWithETagAsync(url);
                    var dek = current.GetProperty("dek").GetString() + $" w{writer}c{change}";
                    var response = await editor.PatchJsonAsync(url, new { dek }, etag);
                    if (response.StatusCode == HttpStatusCode.PreconditionFailed)
                    {
                        Interlocked.Increment(ref conflicts);
                        continue;
                    }
                    await response.ReadJsonAsync();
                    break;
                }
            }
        })));

        var (final, finalETag) = await editor.GetWithETagAsync(url);
        var markers = final.GetProperty("dek").GetString()!.Split(' ').Where(w => System.Text.RegularExpressions.Regex.IsMatch(w, @"^w\d+c\d+$")).ToList();
        Assert.Equal(writers * changesEach, markers.Count);
        Assert.Equal(writers * changesEach, markers.Distinct().Count());
        Assert.Equal(start.GetProperty("version").GetInt32() + writers * changesEach, final.GetProperty("version").GetInt32());
        Assert.Equal($"\"{final.GetProperty("version").GetInt32()}\"", finalETag);
        Assert.True(conflicts > 0, "the writers never collided, so the test proved nothing");
    }

    [Fact]
    public async Task Concurrent_retries_with_one_idempotency_key_create_once_and_get_the_same_answer()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("retrier", "content:write"));
        var body = new { slug = "retried-topic", name = "Retried" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => editor.PostJsonAsync("/v1/manage/topics", body, idempotencyKey: "3f1c2b9e-retry"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Single(responses.Select(r => r.Headers.Location!.OriginalString).Distinct());
        Assert.Equal(9, responses.Count(r => r.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true"));
        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal(1, await db.Topics.CountAsync(t => t.Slug == "retried-topic"));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Slug == "retried-topic" && a.Action == "create"));

        var reused = await editor.PostJsonAsync("/v1/manage/topics", new { slug = "another-topic", name = "Another" }, idempotencyKey: "3f1c2b9e-retry");
        await reused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await db.Topics.CountAsync(t => t.Slug == "another-topic"));

        // Keys are per API key: another client may use the same string for its own request.
        var other = api.ClientWithKey(await api.CreateKeyAsync("other-client", "content:write"));
        var own = await other.PostJsonAsync("/v1/manage/topics", new { slug = "another-topic", name = "Another" }, idempotencyKey: "3f1c2b9e-retry");
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
    }

    [Fact]
    public async Task A_failed_request_leaves_nothing_behind_and_its_key_can_be_used_again()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("careful", "content:write"));

        var taken = await editor.PostJsonAsync("/v1/manage/topics", new { slug = "russia", name = "Duplicate" }, idempotencyKey: "first-try");
        await taken.AssertProblemAsync(HttpStatusCode.Conflict);
        var fixedUp = await editor.PostJsonAsync("/v1/manage/topics", new { slug = "russia-2", name = "Duplicate" }, idempotencyKey: "first-try");
        Assert.Equal(HttpStatusCode.Created, fixedUp.StatusCode);

        await using var db = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        Assert.Equal("Russia", await db.Topics.Where(t => t.Slug == "russia").Select(t => t.Name).SingleAsync());
    }
}
