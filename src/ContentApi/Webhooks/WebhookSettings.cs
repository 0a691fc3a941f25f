namespace ContentApi.Webhooks;

/// <summary>Webhooks: section of the configuration.</summary>
public sealed class WebhookSettings
{
    /// <summary>
    /// Allows http:// URLs and loopback, private, link-local and metadata addresses. Off in production: a webhook must
    /// not become a way to reach the servers behind the API. The tests turn it on to use a receiver on loopback.
    /// </summary>
    public bool AllowPrivateNetworks { get; init; }
    /// <summary>The ports a webhook URL may name; 443 unless configured (AllowPrivateNetworks lifts this too).</summary>
    public int[]? AllowedPorts { get; init; }
    /// <summary>After a secret rotation, how long deliveries are also signed with the old secret.</summary>
    public int SecretRotationGraceHours { get; init; } = 24;
    public int TimeoutSeconds { get; init; } = 10;
    /// <summary>The first retry waits about this long; each further one twice as long, with jitter, up to an hour.</summary>
    public int RetryBaseMilliseconds { get; init; } = 5000;
    public int MaxAttempts { get; init; } = 10;
    /// <summary>How often the dispatcher looks for work when nothing wakes it.</summary>
    public int PollMilliseconds { get; init; } = 2000;
    /// <summary>Turns the dispatcher off in this process (another one may deliver).</summary>
    public bool DispatcherEnabled { get; init; } = true;
}
