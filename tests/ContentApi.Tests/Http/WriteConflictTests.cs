using System.Net;
using ContentApi.Tests.Infrastructure;

namespace ContentApi.Tests.Http;

/// <summary>
/// PostgreSQL aborts one of two writes that wait on each other (a deadlock, 40P01) or that cannot both commit under
/// serializable rules (40001). Two editors can meet that way on the kept counts, which every publish updates. The
/// aborted write changed nothing, so the answer is a 503 to try again, not a 500.
/// </summary>
public sealed class WriteConflictTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("40P01")]
    [InlineData("40001")]
    public async Task A_write_the_database_aborted_as_a_conflict_is_a_503_to_retry_and_changes_nothing(string sqlState)
    {
        var editor = api.ClientWithKey(await api.CreateKeyAsync($"conflicted-{sqlState}", "content:write"));
        var url = await editor.ManagedUrlAsync("articles", "caracas-and-the-oil-price");
        var (before, etag) = await editor.GetWithETagAsync(url);
        // The conflict is made on purpose: a trigger that fails every update of an article with that SQLSTATE.
        await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"""
            CREATE FUNCTION conflict_{sqlState}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'made to conflict' USING ERRCODE = '{sqlState}'; END $$;
            CREATE TRIGGER conflict_{sqlState} BEFORE UPDATE ON articles FOR EACH ROW EXECUTE FUNCTION conflict_{sqlState}();
            """);
        try
        {
            var response = await editor.PatchJsonAsync(url, new { title = "A title that must not stick" }, etag);

            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal(before.GetProperty("title").GetString(), (await editor.GetJsonAsync(url)).GetProperty("title").GetString());
        }
        finally
        {
            await TestDatabaseServer.ExecuteAsync(api.ConnectionString, $"DROP TRIGGER conflict_{sqlState} ON articles");
        }
    }
}
