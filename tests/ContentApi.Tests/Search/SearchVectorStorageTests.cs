using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using Npgsql;

namespace ContentApi.Tests.Search;

/// <summary>Where an article's search vector is kept: ranking reads it twice per match, so it must not cost extra pages.</summary>
public sealed class SearchVectorStorageTests
{
    [Fact]
    public async Task Ranking_an_article_reads_no_page_beyond_its_row_even_when_its_vector_is_kilobytes_long()
    {
        var connectionString = await TestDatabaseServer.CloneTemplateAsync();
        try
        {
            // 150 words that compress badly make a vector of several kilobytes, past the 2 kB at which PostgreSQL would
            // move it to the TOAST table by default. The body itself may still go there: it is not read by ranking.
            await TestDatabaseServer.ExecuteAsync(connectionString, """
                UPDATE articles SET body_text = (SELECT string_agg(md5(i::text), ' ') FROM generate_series(1, 150) i)
                WHERE slug = 'venezuela-defies-the-us'
                """);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();

            var vectorBytes = await ScalarAsync<int>(connection, "SELECT pg_column_size(search_vector) FROM articles WHERE slug = 'venezuela-defies-the-us'");
            Assert.True(vectorBytes > 4000, $"the vector is {vectorBytes} bytes: too short to say where it is kept");

            const string rowOnlySql = "SELECT slug FROM articles WHERE slug = 'venezuela-defies-the-us'";
            const string rankedSql = "SELECT ts_rank(search_vector, to_tsquery('english', 'venezuela')) FROM articles WHERE slug = 'venezuela-defies-the-us'";
            // The fewest of three readings each, taken in turn: a reading can count a page or two more than the row
            // (the old row version left in the index by the update, pruning, other tests' work on the server). A
            // vector out of line adds three or more to every reading.
            var rowOnly = new List<long>();
            var ranked = new List<long>();
            for (var i = 0; i < 3; i++)
            {
                rowOnly.Add(await PagesReadAsync(connection, rowOnlySql));
                ranked.Add(await PagesReadAsync(connection, rankedSql));
            }
            Assert.True(ranked.Min() <= rowOnly.Min(), $"ranking read {string.Join(", ", ranked)} pages, the row alone {string.Join(", ", rowOnly)}");
        }
        finally
        {
            await TestDatabaseServer.DropAsync(connectionString);
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The pages the statement's execution touched (planning aside), by EXPLAIN.</summary>
    private static async Task<long> PagesReadAsync(NpgsqlConnection connection, string sql)
    {
        var plan = JsonDocument.Parse(await ScalarAsync<string>(connection, $"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")).RootElement[0].GetProperty("Plan");
        return plan.GetProperty("Shared Hit Blocks").GetInt64() + plan.GetProperty("Shared Read Blocks").GetInt64();
    }
}
