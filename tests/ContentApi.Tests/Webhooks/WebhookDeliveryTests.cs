using System.Net;
using System.Text.Json;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContentApi.Tests.Webhooks;

/// <summary>The API with its webhook dispatcher running fast and allowed to reach loopback receivers.</summary>
public sealed class WebhookApi() : ApiFactory(Settings(dispatcher: true))
{
    public static ApiSettings Settings(bool dispatcher) => new()
    {
        Configuration = new Dictionary<string, string?>
        {
            ["Webhooks:DispatcherEnabled"] = dispatcher ? "true" : "false",
            ["Webhooks:AllowPrivateNetworks"] = "true",
            ["Webhooks:RetryBaseMilliseconds"] = "200",
            ["Webhooks:PollMilliseconds"] = "100",
            ["Webhooks:TimeoutSeconds"] = "2",
        },
    };
}

[Trait("Category", "Slow")]
public sealed class WebhookDeliveryTests(WebhookApi api) : IClassFixture<WebhookApi>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private HttpClient _admin = null!;

    public async Task InitializeAsync() => _admin = api.ClientWithKey(await api.CreateKeyAsync("webhook-admin", "admin"));

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Url, string Secret)> RegisterAsync(HttpClient admin, WebhookReceiver receiver, params string[] eventTypes)
    {
        var response = await admin.PostJsonAsync("/v1/manage/webhooks", new { url = receiver.Url, eventTypes });
        var body = await response.ReadJsonAsync();
        receiver.Secret = body.GetProperty("secret").GetString();
        return (response.Headers.Location!.OriginalString, receiver.Secret!);
    }

    /// <summary>
    /// Reads <paramref name="url"/> until <paramref name="done"/> holds. The receiver records a request before its answer
    /// reaches the dispatcher, so what the API makes of that answer comes a moment after the receiver has seen it.
    /// </summary>
    private async Task<JsonElement> WaitForJsonAsync(string url, Func<JsonElement, bool> done, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            var body = await _admin.GetJsonAsync(url);
            if (done(body))
            {
                return body;
            }
            if (DateTime.UtcNow > until)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}; last answer: {body}");
            }
            await Task.Delay(50);
        }
    }

    private async Task<string> CreateTopicAsync(HttpClient admin, string slug)
    {
        var response = await admin.PostJsonAsync("/v1/manage/topics", new { slug, name = slug });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static JsonElement Data(WebhookReceiver.Received received) => JsonDocument.Parse(received.Body).RootElement.GetProperty("data");

    [Fact]
    public async Task Every_event_arrives_signed_as_standard_webhooks_says()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(_admin, receiver);

        var topic = await CreateTopicAsync(_admin, "signed-topic");
        await (await _admin.PatchJsonAsync(topic, new { name = "Signed topic" }, "\"1\"")).ReadJsonAsync();
        await _admin.DeleteAsync(topic, "\"2\"");

        await receiver.WaitForAsync(r => r.Count >= 3, Patience, "three events");
        // Deliveries of one batch are sent concurrently, so they may arrive in any order; the sequence orders them.
        var events = receiver.Requests.OrderBy(e => Data(e).GetProperty("sequence").GetInt64()).ToList();
        Assert.All(events, e => Assert.True(e.SignatureValid, $"the signature of {e.Body} does not verify"));
        Assert.Equal(["topic.created", "topic.updated", "topic.deleted"],
            events.Select(e => JsonDocument.Parse(e.Body).RootElement.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal("signed-topic", Data(e).GetProperty("slug").GetString()));
        Assert.Equal(3, events.Select(e => e.Id).Distinct().Count());
        Assert.All(events, e => Assert.StartsWith("msg_", e.Id, StringComparison.Ordinal));

        // The headers as sent verify the body as sent, and the same headers over a body changed by one byte do not:
        // the signature covers the body.
        var verifier = new StandardWebhooks.StandardWebhook(receiver.Secret!);
        var sent = new Microsoft.AspNetCore.Http.HeaderDictionary
        {
            ["webhook-id"] = events[0].Id, ["webhook-timestamp"] = events[0].Timestamp, ["webhook-signature"] = events[0].Signature,
        };
        verifier.Verify(events[0].Body, sent);
        var tampered = events[0].Body.Replace("signed-topic", "signed-topiC", StringComparison.Ordinal);
        Assert.NotEqual(events[0].Body, tampered);
        Assert.ThrowsAny<Exception>(() => verifier.Verify(tampered, sent));
    }

    [Fact]
    public async Task A_receiver_that_fails_then_recovers_gets_every_event_with_the_same_id_on_each_retry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n < 6 ? (500, null, null) : (204, null, null);
        receiver.AnswerDelay = TimeSpan.FromMilliseconds(300);
        var (hook, _) = await RegisterAsync(_admin, receiver, "topic.created");

        for (var i = 0; i < 4; i++)
        {
            await CreateTopicAsync(_admin, $"retry-topic-{i}");
        }

        await receiver.WaitForAsync(r => r.Where(x => x.Answered == 204).Select(x => Data(x).GetProperty("slug").GetString()).Distinct().Count() == 4,
            Patience, "all four events delivered");
        var requests = receiver.Requests.ToList();
        foreach (var group in requests.GroupBy(r => r.Id))
        {
            Assert.Single(group.Select(r => r.Body).Distinct()); // a retry sends the same bytes under the same id
            Assert.Equal(1, group.Count(r => r.Answered == 204));
        }
        Assert.True(requests.Count > 4, "nothing was retried");

        var log = (await WaitForJsonAsync($"{hook}/deliveries?limit=100",
            page => page.GetProperty("items").EnumerateArray().Count(d => d.GetProperty("status").GetString() == "delivered") == 4,
            "four deliveries recorded as delivered")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, log.Count);
        Assert.All(log, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.Contains(log, d => d.GetProperty("attempts").GetInt32() > 1);
    }

    [Fact]
    public async Task Redirects_are_failures_retry_after_is_honoured_and_410_disables_the_endpoint()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var answers = new Queue<(int, string?, string?)>([(302, null, receiver.Url + "/elsewhere"), (503, "2", null), (410, null, null)]);
        receiver.Answer = _ => answers.Count > 0 ? answers.Dequeue() : (200, null, null);
        receiver.AnswerDelay = TimeSpan.FromMilliseconds(300);
        var (hook, _) = await RegisterAsync(_admin, receiver, "topic.created");

        await CreateTopicAsync(_admin, "gone-topic");

        await receiver.WaitForAsync(r => r.Count >= 3, Patience, "three attempts");
        var attempts = receiver.Requests.ToList();
        // Had the 302 been followed, /elsewhere would have been the second request here.
        Assert.Equal([302, 503, 410], attempts.Select(a => a.Answered));
        Assert.Single(attempts.Select(a => a.Id).Distinct());
        Assert.True(long.Parse(attempts[2].Timestamp, System.Globalization.CultureInfo.InvariantCulture)
                    - long.Parse(attempts[1].Timestamp, System.Globalization.CultureInfo.InvariantCulture) >= 2, "Retry-After: 2 was not honoured");

        var endpoint = await WaitForJsonAsync(hook, e => !e.GetProperty("enabled").GetBoolean(), "the endpoint disabled by the 410");
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", endpoint.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        var delivery = (await _admin.GetJsonAsync($"{hook}/deliveries")).GetProperty("items")[0];
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(410, delivery.GetProperty("lastStatusCode").GetInt32());

        await CreateTopicAsync(_admin, "after-gone");
        await Task.Delay(1000);
        Assert.Equal(3, receiver.Requests.Count); // nothing more is sent to a disabled endpoint
    }

    [Fact]
    public async Task Events_raised_while_an_endpoint_is_disabled_are_kept_and_sent_when_it_is_enabled_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (hook, _) = await RegisterAsync(_admin, receiver, "topic.created");
        var disabled = await _admin.PatchJsonAsync(hook, new { enabled = false }, "\"1\"");
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        await CreateTopicAsync(_admin, "while-disabled");
        await Task.Delay(1000); // ten dispatcher polls
        Assert.Empty(receiver.Requests);
        var held = (await _admin.GetJsonAsync($"{hook}/deliveries")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("pending", Assert.Single(held).GetProperty("status").GetString());
        Assert.Equal(0, held[0].GetProperty("attempts").GetInt32());

        var enabled = await _admin.PatchJsonAsync(hook, new { enabled = true }, "\"2\"");
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        await receiver.WaitForAsync(r => r.Count == 1, Patience, "the held event after re-enabling");
        var received = receiver.Requests.Single();
        Assert.True(received.SignatureValid);
        Assert.Equal("while-disabled", Data(received).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task A_test_event_is_signed_and_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (hook, _) = await RegisterAsync(_admin, receiver);

        var queued = await _admin.PostAsync($"{hook}/test", null);
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);

        await receiver.WaitForAsync(r => r.Count == 1, Patience, "the test event");
        var received = receiver.Requests.Single();
        Assert.True(received.SignatureValid);
        Assert.Equal("webhook.test", JsonDocument.Parse(received.Body).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task After_a_secret_rotation_deliveries_carry_both_signatures_until_the_grace_period_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (hook, oldSecret) = await RegisterAsync(_admin, receiver);

        var rotation = await _admin.PostAsync($"{hook}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = await rotation.ReadJsonAsync();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var graceEnds = rotated.GetProperty("webhook").GetProperty("previousSecretExpiresAt").GetDateTimeOffset();
        Assert.InRange(graceEnds, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        Assert.Equal("\"2\"", rotation.Headers.ETag?.Tag);

        // During the grace period a receiver still holding the old secret, and one already holding the new, both verify.
        await (await _admin.PostAsync($"{hook}/test", null)).ReadJsonAsync();
        await receiver.WaitForAsync(r => r.Count == 1, Patience, "the test event after rotating");
        var during = receiver.Requests.Single();
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(Verifies(oldSecret, during), "the old secret no longer verifies during the grace period");
        Assert.True(Verifies(newSecret, during), "the new secret does not verify");

        // Once the grace period is over, only the new secret signs.
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            await db.WebhookEndpoints.Where(e => e.Url == receiver.Url)
                .ExecuteUpdateAsync(u => u.SetProperty(e => e.PreviousSecretExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }
        await (await _admin.PostAsync($"{hook}/test", null)).ReadJsonAsync();
        await receiver.WaitForAsync(r => r.Count == 2, Patience, "the test event after the grace period");
        var after = receiver.Requests.Last();
        Assert.False(Verifies(oldSecret, after), "the old secret still verifies after the grace period");
        Assert.True(Verifies(newSecret, after));

        // A stale If-Match is refused: two admins rotating at once cannot both think their secret is current.
        var stale = await _admin.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{hook}/rotate-secret") { Headers = { { "If-Match", "\"1\"" } } });
        await stale.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    /// <summary>
    /// Whether one of the signatures verifies with the secret. Each is checked on its own: StandardWebhooks 1.1.2 only
    /// matches the first of several space-separated signatures (it compares the whole header for the last one).
    /// </summary>
    private static bool Verifies(string secret, WebhookReceiver.Received received) => received.Signature.Split(' ').Any(signature =>
    {
        try
        {
            new StandardWebhooks.StandardWebhook(secret).Verify(received.Body, new Microsoft.AspNetCore.Http.HeaderDictionary
            {
                ["webhook-id"] = received.Id, ["webhook-timestamp"] = received.Timestamp, ["webhook-signature"] = signature,
            });
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    });

    [Fact]
    public async Task No_event_from_a_rolled_back_transaction_is_ever_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await RegisterAsync(_admin, receiver, "topic.updated", "topic.created");

        // A write that fails (a stale If-Match) and a transaction rolled back by hand both leave nothing behind.
        var topic = await CreateTopicAsync(_admin, "rolled-back");
        await (await _admin.PatchJsonAsync(topic, new { name = "Never" }, "\"5\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        await using (var connection = new NpgsqlConnection(api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(
                "INSERT INTO content_changes (at, resource_type, action, resource_id, slug, version) " +
                "VALUES (now(), 'topic', 'updated', gen_random_uuid(), 'phantom', 9)", connection, transaction);
            await command.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }
        await (await _admin.PatchJsonAsync(topic, new { name = "Real" }, "\"1\"")).ReadJsonAsync();

        await receiver.WaitForAsync(r => r.Count >= 2, Patience, "the two real events");
        await Task.Delay(500);
        // Deliveries of one batch are sent concurrently, so they may arrive in any order; the sequence orders them.
        var slugsAndVersions = receiver.Requests.OrderBy(r => Data(r).GetProperty("sequence").GetInt64())
            .Select(r => $"{Data(r).GetProperty("slug").GetString()} v{Data(r).GetProperty("version").GetInt32()}").ToList();
        Assert.Equal(["rolled-back v1", "rolled-back v2"], slugsAndVersions);
    }

    [Fact]
    public async Task An_event_committed_before_the_api_stops_is_delivered_after_it_restarts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A database of its own: this class's API, which delivers, must not see the event first.
        var database = await TestDatabaseServer.CloneTemplateAsync();

        // First run: the dispatcher is off, as if the process died right after the commit.
        await using (var stopped = ApiFactory.With(WebhookApi.Settings(dispatcher: false) with { Database = database }))
        {
            var admin = stopped.ClientWithKey(await stopped.CreateKeyAsync("first-run", "admin"));
            await RegisterAsync(admin, receiver, "topic.created");
            await CreateTopicAsync(admin, "survives-restart");
            await Task.Delay(300);
            Assert.Empty(receiver.Requests);
        }

        // The restarted API finds the event in the outbox and sends it.
        await using (var restarted = ApiFactory.With(WebhookApi.Settings(dispatcher: true) with { Database = database }))
        {
            restarted.StartServer();
            await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains("survives-restart", StringComparison.Ordinal)), Patience, "the event after the restart");
            Assert.True(receiver.Requests.Single(r => r.Body.Contains("survives-restart", StringComparison.Ordinal)).SignatureValid);
        }
        await TestDatabaseServer.DropAsync(database);
    }

    [Fact]
    public async Task Delivery_refuses_an_address_that_turned_private_when_private_networks_are_not_allowed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A database of its own, where only this setting delivers; the receiver's port is allowed, so the address is what is refused.
        // The production setting, no private networks, with the dispatcher running.
        await using var strict = ApiFactory.With(new ApiSettings
        {
            Configuration = new Dictionary<string, string?>
            {
                ["Webhooks:AllowedPorts:0"] = new Uri(receiver.Url).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Webhooks:DispatcherEnabled"] = "true",
                ["Webhooks:AllowPrivateNetworks"] = "false",
                ["Webhooks:PollMilliseconds"] = "100",
            },
        });
        await strict.InitializeAsync();
        var admin = strict.ClientWithKey(await strict.CreateKeyAsync("strict-admin", "admin"));

        // Registered while it resolved publicly (here: written straight to the database); now it points at loopback.
        await using (var db = TestDatabaseServer.OpenContentDb(strict.ConnectionString))
        {
            var last = await db.ContentChanges.MaxAsync(c => (long?)c.Sequence) ?? 0;
            db.WebhookEndpoints.Add(new ContentApi.Webhooks.WebhookEndpoint
            {
                Url = receiver.Url, Secret = ContentApi.Webhooks.WebhookSignature.NewSecret(), StartsAfterSequence = last,
                EventTypes = ["topic.created"], CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await CreateTopicAsync(admin, "private-target");

        await using var check = TestDatabaseServer.OpenContentDb(strict.ConnectionString);
        var deadline = DateTime.UtcNow + Patience;
        ContentApi.Webhooks.WebhookDelivery? delivery = null;
        while (DateTime.UtcNow < deadline && delivery?.Attempts is null or 0)
        {
            await Task.Delay(100);
            delivery = await check.WebhookDeliveries.AsNoTracking().Where(d => d.Payload.Contains("private-target")).FirstOrDefaultAsync();
        }
        Assert.NotNull(delivery);
        Assert.True(delivery.Attempts > 0);
        Assert.Null(delivery.LastStatusCode);
        Assert.Contains("may not reach", delivery.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Requests, r => r.Body.Contains("private-target", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replica_whose_clock_runs_ahead_does_not_take_a_delivery_another_replica_has_leased()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A replica whose clock is ahead of the database's, delivering to loopback receivers.
        await using var ahead = ApiFactory.With(new ApiSettings
        {
            Clock = new ShiftedClock(TimeSpan.FromMinutes(10)),
            Configuration = new Dictionary<string, string?>
            {
                ["Webhooks:DispatcherEnabled"] = "true",
                ["Webhooks:AllowPrivateNetworks"] = "true",
                ["Webhooks:PollMilliseconds"] = "100",
            },
        });
        await ahead.InitializeAsync();
        var admin = ahead.ClientWithKey(await ahead.CreateKeyAsync("skewed-admin", "admin"));
        var (hook, _) = await RegisterAsync(admin, receiver, "topic.created");

        // Another replica (with a true clock) claimed this delivery a moment ago: its lease runs for another minute.
        await using (var db = TestDatabaseServer.OpenContentDb(ahead.ConnectionString))
        {
            var endpoint = await db.WebhookEndpoints.SingleAsync();
            db.WebhookDeliveries.Add(new ContentApi.Webhooks.WebhookDelivery
            {
                EndpointId = endpoint.Id, EventType = "topic.created", Payload = """{"type":"topic.created","data":{"slug":"leased-elsewhere"}}""",
                Status = "pending", NextAttemptAt = DateTimeOffset.UtcNow.AddMinutes(1), CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await CreateTopicAsync(admin, "sent-by-the-skewed-replica");

        // The fast replica delivers what is due by the database's clock, and leaves the leased delivery alone.
        await receiver.WaitForAsync(r => r.Any(x => x.Body.Contains("sent-by-the-skewed-replica", StringComparison.Ordinal)), Patience,
            "the event that is due");
        await Task.Delay(1000);
        Assert.DoesNotContain(receiver.Requests, r => r.Body.Contains("leased-elsewhere", StringComparison.Ordinal));
        Assert.Contains((await admin.GetJsonAsync($"{hook}/deliveries")).GetProperty("items").EnumerateArray(),
            d => d.GetProperty("status").GetString() == "pending" && d.GetProperty("attempts").GetInt32() == 0);
    }
}
