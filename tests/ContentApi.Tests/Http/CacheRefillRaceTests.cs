using System.Net;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Http;

/// <summary>
/// A read that began before a write commits must not put its answer into the cache after the write's eviction: it
/// may hold what the database said before the write, and would then be served until the entry expires.
/// </summary>
public sealed class CacheRefillRaceTests(CachedApi api) : IClassFixture<CachedApi>
{
    private readonly HttpClient _public = api.ClientWithKey(null);

    [Fact]
    public async Task A_list_read_before_a_publish_and_finished_after_its_eviction_is_not_cached()
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync("race-editor", "content:write"));
        // Publishing it never writes authors or topics, so never touches the counter of their names (CardNames), which
        // the reader below is made to wait for.
        var created = await editor.CreateDraftArticleAsync("published-during-a-read", "Published during a read");

        // The list's statement reads the counter with the cards: holding the counter's table stops the reader there,
        // after it has seen the list as it was.
        await using var holder = new NpgsqlConnection(api.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockCounter = new NpgsqlCommand("LOCK TABLE card_names_stamp IN ACCESS EXCLUSIVE MODE", holder, hold))
        {
            await lockCounter.ExecuteNonQueryAsync();
        }
        var read = _public.GetStringAsync("/v1/articles?limit=100");
        await WaitForALockWaitAsync(holder, hold);

        var published = await editor.PostAsync($"/v1/manage/articles/{created}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        await hold.RollbackAsync();
        Assert.DoesNotContain("published-during-a-read", await read, StringComparison.Ordinal); // it read before the publish

        Assert.Contains("published-during-a-read", await _public.GetStringAsync("/v1/articles?limit=100"), StringComparison.Ordinal);
    }

    private static async Task WaitForALockWaitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection, transaction);
        for (var tries = 0; tries < 200; tries++)
        {
            if ((long)(await waiting.ExecuteScalarAsync())! > 0)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("The list request never waited for the counter's table.");
    }
}
