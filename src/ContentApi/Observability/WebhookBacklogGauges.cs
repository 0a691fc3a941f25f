using System.Diagnostics.Metrics;
using Npgsql;

namespace ContentApi.Observability;

/// <summary>
/// The webhook outbox's backlog, as gauges read from the database when metrics are collected: how many deliveries
/// wait for enabled endpoints, and how long the oldest has waited. One query (on the pending deliveries' partial
/// index) answers both, at most once per <see cref="Memo"/>, so frequent scrapes by several collectors cost one.
/// Made only when metrics are on.
/// </summary>
public sealed class WebhookBacklogGauges : IDisposable
{
    private static readonly TimeSpan Memo = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebhookBacklogGauges> _logger;
    private readonly Meter _meter;
    private readonly Lock _reading = new();
    private (long Pending, double OldestSeconds)? _last;
    private DateTimeOffset _lastAt;

    public WebhookBacklogGauges(IMeterFactory meters, NpgsqlDataSource dataSource, TimeProvider clock, ILogger<WebhookBacklogGauges> logger)
    {
        _dataSource = dataSource;
        _clock = clock;
        _logger = logger;
        _meter = meters.Create(ContentMetrics.MeterName);
        _meter.CreateObservableGauge("contentapi.webhooks.pending", () => Read() is { } b ? [new Measurement<long>(b.Pending)] : Array.Empty<Measurement<long>>(),
            "{delivery}", "Webhook deliveries waiting to be sent to enabled endpoints.");
        _meter.CreateObservableGauge("contentapi.webhooks.oldest_pending_age", () => Read() is { } b ? [new Measurement<double>(b.OldestSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "How long the oldest delivery waiting for an enabled endpoint has waited; 0 when none waits.");
    }

    private (long Pending, double OldestSeconds)? Read()
    {
        lock (_reading)
        {
            if (_last is not null && _clock.GetUtcNow() - _lastAt < Memo)
            {
                return _last;
            }
            try
            {
                // Collection callbacks are synchronous; the query is a count over an index, with a short timeout.
                using var command = _dataSource.CreateCommand("""
                    SELECT count(*), coalesce(extract(epoch FROM now() - min(d.created_at)), 0)::float8
                    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                    WHERE d.status = 'pending' AND e.enabled
                    """);
                command.CommandTimeout = 2;
                using var reader = command.ExecuteReader();
                reader.Read();
                _last = (reader.GetInt64(0), reader.GetDouble(1));
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                _logger.LogWarning("Could not read the webhook backlog for metrics ({Reason})", ex.Message);
                _last = null; // no value rather than a stale one
            }
            _lastAt = _clock.GetUtcNow();
            return _last;
        }
    }

    public void Dispose() => _meter.Dispose();
}
