using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ContentApi.Health;

/// <summary>
/// Ready means the database answers a query within a couple of seconds. Probes share one answer for up to a
/// second, so a flood of them asks the database about once a second instead of taking a connection each.
/// </summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, TimeProvider clock) : IHealthCheck
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _latest;
    private DateTimeOffset _askedAt;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_latest is null || now - _askedAt >= MaxAge)
            {
                _latest = AskAsync();
                _askedAt = now;
            }
            return _latest.WaitAsync(cancellationToken);
        }
    }

    // Not cancelled with the probe that started it: other probes are waiting for the same answer.
    private async Task<HealthCheckResult> AskAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.");
        }
    }
}
