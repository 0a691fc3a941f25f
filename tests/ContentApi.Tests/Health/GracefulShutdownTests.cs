using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ContentApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ContentApi.Tests.Health;

/// <summary>The API as a real process, sent SIGTERM while it is busy.</summary>
[Trait("Category", "Slow")]
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_sigterm_readiness_fails_at_once_requests_in_flight_finish_and_the_process_exits_in_time()
    {
        var database = await TestDatabaseServer.CloneTemplateAsync();
        await using var api = ApiProcess.Start(database, output, new Dictionary<string, string>
        {
            ["Shutdown__DrainSeconds"] = "2",
            ["Shutdown__TimeoutSeconds"] = "10",
        });
        var (process, client) = (api.Process, api.Client);
        try
        {
            await api.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

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
            await ApiProcess.WaitUntilAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(1));
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
}
