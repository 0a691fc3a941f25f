using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace ContentApi.Tests.Infrastructure;

/// <summary>
/// The built API started as a real process (`dotnet ContentApi.dll`) on a free loopback port, in Production, for
/// what an in-memory host cannot show: signals, exit codes, several processes on one database.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private ApiProcess(Process process, int port)
    {
        Process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public Process Process { get; }
    public HttpClient Client { get; }

    /// <summary>Starts the API on <paramref name="database"/>; <paramref name="settings"/> are added as environment variables,
    /// <paramref name="arguments"/> make it run a command (e.g. <c>seed --synthetic 1000</c>) instead of serving.</summary>
    public static ApiProcess Start(string database, ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null,
        params string[] arguments)
    {
        var port = FreePort();
        var configuration = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(typeof(ApiProcess).Assembly.Location))!)!;
        var root = Path.GetDirectoryName(TestDatabaseServer.SeedsFolder)!;
        var dll = Path.Combine(root, "src", "ContentApi", "bin", configuration, "net10.0", "ContentApi.dll");
        var start = new ProcessStartInfo("dotnet", [dll, .. arguments])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ConnectionStrings__Content"] = database,
                ["RateLimits__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = System.Diagnostics.Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(output, e.Data);
        process.ErrorDataReceived += (_, e) => Write(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ApiProcess(process, port);
    }

    /// <summary>Waits for /health/ready to answer 200; fails at once if the process exits first.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout) => WaitUntilAsync(async () =>
    {
        Assert.False(Process.HasExited, $"the API exited with code {(Process.HasExited ? Process.ExitCode : 0)} before it was ready");
        return (await Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
    }, timeout);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
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

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        Client.Dispose();
    }

    private static void Write(ITestOutputHelper output, string? line)
    {
        if (line is null)
        {
            return;
        }
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // the test has ended; the process's last words have nowhere to go
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
