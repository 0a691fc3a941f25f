using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ContentApi.Changes;
using ContentApi.Content;
using ContentApi.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Webhooks;

/// <summary>
/// Delivers the outbox. First it turns new changes (read in commit order from content_changes, which the writes
/// filled in their own transactions) into one delivery per subscribed endpoint, moving its position in the same
/// transaction; then it sends what is due. Sending claims a delivery with a short lease, so a process that dies
/// mid-send leaves it to be retried, and several processes never send the same attempt twice. Each attempt is
/// signed afresh with the same webhook-id. Due times and leases are set and compared by the database's clock
/// (now()), so replicas whose clocks disagree still see one lease the same way. 2xx delivers, 410 disables the
/// endpoint, anything else (a redirect included: none is followed) is retried with exponential backoff and jitter,
/// or after Retry-After.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, NpgsqlDataSource dataSource, WebhookSettings settings,
    TimeProvider clock, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);
    private const int BatchSize = 20;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly HttpClient _http = new(WebhookAddresses.Handler(settings))
    {
        Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        DefaultRequestHeaders = { { "User-Agent", "ContentApi-Webhooks/1" } },
    };

    /// <summary>Something was written: look for work now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.DispatcherEnabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await FanOutAsync(stoppingToken) | await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Webhook dispatch failed; trying again shortly");
            }
            if (!busy)
            {
                try
                {
                    await _wake.WaitAsync(TimeSpan.FromMilliseconds(settings.PollMilliseconds), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Turns changes after the saved position into deliveries; true when there were any.</summary>
    private async Task<bool> FanOutAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var state = await db.WebhookDispatchState
            .FromSqlRaw("SELECT * FROM webhook_dispatch_state WHERE id = 1 FOR UPDATE") // one fan-out at a time
            .SingleAsync(ct);
        var changes = await db.ContentChanges.AsNoTracking()
            .Where(c => c.Sequence > state.LastSequence).OrderBy(c => c.Sequence).Take(200).ToListAsync(ct);
        if (changes.Count == 0)
        {
            return false;
        }
        // Disabled endpoints get their deliveries too: held as pending (sending skips them) and sent once re-enabled.
        var endpoints = await db.WebhookEndpoints.AsNoTracking().ToListAsync(ct);
        var now = await DatabaseNowAsync(db, ct);
        foreach (var change in changes)
        {
            var type = $"{change.ResourceType}.{change.Action}";
            foreach (var endpoint in endpoints.Where(e => change.Sequence > e.StartsAfterSequence
                                                         && (e.EventTypes.Count == 0 || e.EventTypes.Contains(type))))
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EndpointId = endpoint.Id, Sequence = change.Sequence, EventType = type, Payload = Payload(type, change),
                    Status = "pending", NextAttemptAt = now, CreatedAt = now,
                });
            }
        }
        state.LastSequence = changes[^1].Sequence;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The event: the change as the change feed shows it, plus the cache tags it makes stale (<c>data.tags</c>), the
    /// same keys delivery answers carry in Surrogate-Key and Cache-Tag, so that a CDN purge is a webhook receiver:
    /// the outbox delivers each change once per endpoint, however many replicas run.
    /// </summary>
    public static string Payload(string type, ContentChange change) => JsonSerializer.Serialize(new
    {
        type,
        timestamp = change.At,
        data = new WebhookEventData(change.Sequence, change.ResourceType, change.Action, change.ResourceId, change.Slug, change.Version,
            change.At, DeliveryCache.TagsOfChange(change.ResourceType, change.ResourceId)),
    }, ApiJson.Options);

    /// <summary>The database's time: the one clock every replica shares.</summary>
    public static Task<DateTimeOffset> DatabaseNowAsync(ContentDb db, CancellationToken ct) =>
        db.Database.SqlQuery<DateTimeOffset>($"SELECT now() AS \"Value\"").SingleAsync(ct);

    /// <summary>Claims what is due, sends it, records each outcome; true when anything was sent.</summary>
    private async Task<bool> DeliverDueAsync(CancellationToken ct)
    {
        var claimed = new List<Guid>();
        var claimedAt = DateTimeOffset.MinValue;
        await using (var command = dataSource.CreateCommand("""
            UPDATE webhook_deliveries SET next_attempt_at = now() + $1
            WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                         WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND e.enabled
                         ORDER BY d.next_attempt_at, d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED)
            RETURNING id, now()
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Lease });
            command.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                claimed.Add(reader.GetGuid(0));
                claimedAt = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }
        var sending = System.Diagnostics.Stopwatch.StartNew();
        if (claimed.Count == 0)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        var deliveries = await db.WebhookDeliveries.Where(d => claimed.Contains(d.Id)).ToListAsync(ct);
        var endpointIds = deliveries.Select(d => d.EndpointId).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.Where(e => endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var outcomes = await Task.WhenAll(deliveries.Select(d => SendAsync(d, endpoints[d.EndpointId], ct)));

        var now = claimedAt + sending.Elapsed; // the database's time after sending, for the next due time
        foreach (var (delivery, outcome) in deliveries.Zip(outcomes))
        {
            Apply(delivery, endpoints[delivery.EndpointId], outcome, now);
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    private sealed record Outcome(int? Status, TimeSpan? RetryAfter, string? Error);

    private async Task<Outcome> SendAsync(WebhookDelivery delivery, WebhookEndpoint endpoint, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in WebhookSignature.Headers(WebhookSignature.SigningSecrets(endpoint, clock.GetUtcNow()),
                     $"msg_{delivery.Id:N}", clock.GetUtcNow(), delivery.Payload))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - clock.GetUtcNow(),
                _ => (TimeSpan?)null,
            };
            return new Outcome((int)response.StatusCode, retryAfter,
                response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new Outcome(null, null, ex is TaskCanceledException
                ? $"No answer within {settings.TimeoutSeconds} s."
                : $"The request failed: {ex.Message}");
        }
    }

    private void Apply(WebhookDelivery delivery, WebhookEndpoint endpoint, Outcome outcome, DateTimeOffset now)
    {
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.Status;
        delivery.LastError = outcome.Error?[..Math.Min(outcome.Error.Length, 1000)];
        if (outcome.Status is >= 200 and < 300)
        {
            delivery.Status = "delivered";
            delivery.DeliveredAt = now;
            return;
        }
        if (outcome.Status == (int)HttpStatusCode.Gone)
        {
            // The receiver says it is gone for good: stop sending to it until an admin turns it back on.
            delivery.Status = "failed";
            endpoint.Enabled = false;
            endpoint.DisabledReason = $"The endpoint answered 410 Gone at {now.ToString("u", CultureInfo.InvariantCulture)}.";
            endpoint.UpdatedAt = now;
            endpoint.Version++;
            logger.LogWarning("Webhook endpoint {EndpointId} answered 410 and was disabled", endpoint.Id);
            return;
        }
        if (delivery.Attempts >= settings.MaxAttempts)
        {
            delivery.Status = "failed";
            return;
        }
        var backoff = TimeSpan.FromMilliseconds(settings.RetryBaseMilliseconds * Math.Pow(2, delivery.Attempts - 1) * (0.8 + Random.Shared.NextDouble() * 0.4));
        var wait = outcome.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        delivery.NextAttemptAt = now + (wait > LongestWait ? LongestWait : wait);
    }
}

/// <summary>A webhook event's data: the change feed's item and the cache tags the change makes stale.</summary>
public sealed record WebhookEventData(long Sequence, string Type, string Action, Guid Id, string Slug, int Version, DateTimeOffset At,
    IReadOnlyList<string> Tags);
