using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContentApi.Health;

/// <summary>
/// On SIGTERM the API first says it is not ready (so load balancers stop sending it traffic) and keeps serving for
/// Shutdown:DrainSeconds; only then does Kestrel stop, letting the requests in flight finish within the host's
/// shutdown timeout (Shutdown:TimeoutSeconds).
/// </summary>
public sealed class ShutdownDrain(IConfiguration configuration, ILogger<ShutdownDrain> logger) : IHostedLifecycleService, IHealthCheck
{
    private volatile bool _stopping;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var drain = TimeSpan.FromSeconds(configuration.GetValue("Shutdown:DrainSeconds", 0d));
        if (drain > TimeSpan.Zero)
        {
            logger.LogInformation("Shutting down: not ready, still serving for {Drain}", drain);
            await Task.Delay(drain, cancellationToken);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_stopping ? HealthCheckResult.Unhealthy("The API is shutting down.") : HealthCheckResult.Healthy("Serving."));

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
