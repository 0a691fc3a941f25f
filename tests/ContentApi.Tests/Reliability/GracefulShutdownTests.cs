using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.Reliability;

/// <summary>The API as a real process, sent SIGTERM while it is busy.</summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_sigterm_readiness_fails_at_once_requests_in_flight_finish_and_the_process_exits_in_time()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        var port = FreePort();
        var root = Path.GetDirectoryName(TestDatabaseServer.SeedsFolder)!;
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(GracefulShutdownTests).Assembly.Location))!)!;
        var dll = Path.Combine(root, "src", "ContentApi", "bin", configuration, "net10.0", "ContentApi.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ConnectionStrings__Content"] = database,
                ["Shutdown__DrainSeconds"] = "2",
                ["Shutdown__TimeoutSeconds"] = "10",
                ["RateLimits__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            await WaitUntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60));

            // Load: requests keep going out until the server stops answering.
            using var stopLoad = new CancellationTokenSource();
            var completed = 0;
            var failures = new List<string>();
            var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    try
                    {
                        var response = await client.GetAsync(worker % 2 == 0 ? "/v1/search?q=oil" : "/v1/articles?limit=50");
                        await response.Content.ReadAsStringAsync();
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            lock (failures) { failures.Add($"{(int)response.StatusCode}"); }
                        }
                        Interlocked.Increment(ref completed);
                    }
                    catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                                                          || process.HasExited)
                    {
                        return; // the server has stopped listening: expected at the end
                    }
                }
            })).ToList();
            await Task.Delay(1000);
            var before = completed;

            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }
            // Readiness turns at once, while the API still serves.
            await WaitUntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1));
            var notReadyAfter = clock.Elapsed;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(15)));
            var exited = process.HasExited;
            var exitedAfter = clock.Elapsed;
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);

            output.WriteLine($"{before} requests before SIGTERM, {completed} in all; not ready after {notReadyAfter.TotalMilliseconds:F0} ms, exited after {exitedAfter.TotalSeconds:F1} s");
            Assert.True(exited, "the process did not exit within its shutdown timeout");
            Assert.Equal(0, process.ExitCode);
            Assert.True(notReadyAfter < TimeSpan.FromSeconds(1));
            Assert.True(completed > before, "nothing was served after SIGTERM");
            Assert.Empty(failures); // every request that got an answer got a whole 200: none was cut off
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await TestDatabaseServer.DropAsync(database);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < until)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"the condition did not hold within {timeout}");
            }
            await Task.Delay(50);
        }
    }
}
