namespace ContentApi.Health;

/// <summary>
/// <c>ContentApi healthcheck</c>: asks the running API's /health/ready and exits 0 when it is ready. The container's
/// HEALTHCHECK uses it because the runtime image has no curl.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync()
    {
        var url = (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? "http://localhost:8080").Split(';')[0]
            .Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(url), "/health/ready"));
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
