using ContentApi.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContentApi.Tests.Database;

public sealed class LocalPostgresSettingsTests
{
    private const long Gigabyte = 1024L * 1024 * 1024;

    [Theory]
    [InlineData(24 * Gigabyte, 6144)] // a quarter
    [InlineData(Gigabyte / 4, 128)] // never below PostgreSQL's own default
    [InlineData(256 * Gigabyte, 8192)] // nor above 8 GB
    public void The_buffer_pool_is_a_quarter_of_the_machines_memory_within_bounds(long memory, long megabytes) =>
        Assert.Equal(megabytes, LocalPostgres.SharedBuffersMegabytes(memory));

    [Fact]
    [Trait("Category", "Slow")]
    public async Task A_server_the_app_starts_runs_with_that_buffer_pool()
    {
        await using var server = await LocalPostgres.StartAsync(DatabaseProvisioning.DefaultDataDirectory("buffers-postgres"), NullLogger.Instance);
        await using var connection = new NpgsqlConnection(server.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand("SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'", connection);

        var expected = LocalPostgres.SharedBuffersMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        Assert.Equal(expected, (long)(await show.ExecuteScalarAsync())!);
    }
}
