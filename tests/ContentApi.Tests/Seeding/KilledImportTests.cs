using ContentApi.Tests.Articles;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace ContentApi.Tests.Seeding;

/// <summary>
/// `seed --synthetic` is a bulk load that bends the usual write path for speed (no per-row listing work, the search
/// index built once at the end). Killed half-way, it must leave a database whose writes keep every count true and
/// whose search index exists again by the next start.
/// </summary>
[Trait("Category", "Slow")]
public sealed class KilledImportTests(ITestOutputHelper output) : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestDatabaseServer.CloneTemplateAsync();

    public Task DisposeAsync() => TestDatabaseServer.DropAsync(_database);

    [Fact]
    public async Task A_synthetic_import_killed_while_copying_leaves_counts_that_follow_later_writes_and_a_search_index()
    {
        await using (var import = ApiProcess.Start(_database, output, null, "seed", "--synthetic", "300000"))
        {
            await ApiProcess.WaitUntilAsync(async () => await CopyingAsync(), TimeSpan.FromSeconds(120));
            await Task.Delay(TimeSpan.FromSeconds(1));
            import.Process.Kill(entireProcessTree: true);
            await import.Process.WaitForExitAsync();
        }

        await using var api = ApiFactory.With(new ApiSettings { Database = _database });
        var editor = api.ClientWithKey(await api.CreateKeyAsync("after-the-kill", "content:write"));
        Guid section, author, topic;
        await using (var db = TestDatabaseServer.OpenContentDb(_database))
        {
            section = await db.Sections.Where(s => s.Slug == "international-affairs").Select(s => s.Id).SingleAsync();
            author = await db.Authors.Where(a => a.Slug == "cassie-b").Select(a => a.Id).SingleAsync();
            topic = await db.Topics.Where(t => t.Slug == "energy").Select(t => t.Id).SingleAsync();
        }
        var created = await (await editor.PostJsonAsync("/v1/manage/articles", new
        {
            slug = "written-after-a-killed-import", title = "Written after a killed import", sectionId = section,
            authorIds = new[] { author }, topicIds = new[] { topic }, body = "Counted.",
        })).ReadJsonAsync();
        Assert.True((await editor.PostAsync($"/v1/manage/articles/{created.GetProperty("id").GetGuid()}/publish", null)).IsSuccessStatusCode);

        var mismatches = await ListedTruth.MismatchesAsync(_database);
        Assert.True(mismatches is [], string.Join("; ", mismatches));
        Assert.True(await SearchIndexExistsAsync(), "the search index is missing after the API started again");
    }

    private async Task<bool> CopyingAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY articles %' AND state = 'active'", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private async Task<bool> SearchIndexExistsAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT to_regclass('ix_articles_search_vector') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
