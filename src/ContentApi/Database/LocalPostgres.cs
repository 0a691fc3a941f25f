using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace ContentApi.Database;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries (Debian's <c>postgresql</c> package), in a data
/// folder that is kept between runs, listening on a free loopback port. PostgreSQL refuses to run as root,
/// so a root caller runs it as the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string SuperUser = "contentapi";
    private const string ServiceUser = "postgres";

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string? _runAsUser;
    private readonly ILogger _logger;
    private bool _startedHere;

    private LocalPostgres(string binDirectory, string dataDirectory, string? runAsUser, ILogger logger)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _runAsUser = runAsUser;
        _logger = logger;
    }

    public int Port { get; private set; }
    private IReadOnlyDictionary<string, string> _serverSettings = new Dictionary<string, string>();
    public string DataDirectory => _dataDirectory;
    private string PasswordFile => _dataDirectory + ".password";

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
    }.ConnectionString;

    /// <summary>Whether this machine has PostgreSQL server binaries, or can install them.</summary>
    public static bool IsAvailable() => FindBinDirectory() is not null || CanInstallWithApt();

    /// <summary>
    /// Starts (or joins, when it already runs) the server in <paramref name="dataDirectory"/>, initialising it first
    /// when the folder is new. <paramref name="serverSettings"/> are extra <c>-c name=value</c> settings.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(
        string dataDirectory, ILogger logger, IReadOnlyDictionary<string, string>? serverSettings = null,
        CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        if (binDirectory is null && CanInstallWithApt())
        {
            logger.LogWarning("No PostgreSQL server binaries found; installing Debian's postgresql package with apt-get");
            await RunAsync("apt-get", ["update", "-qq"], null, cancellationToken);
            await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], null, cancellationToken);
            binDirectory = FindBinDirectory();
        }
        if (binDirectory is null)
        {
            throw new InvalidOperationException(
                "No PostgreSQL server binaries were found (looked in /usr/lib/postgresql/*/bin and PATH). " +
                "Install them (Debian: apt-get install postgresql) or set ConnectionStrings__Content.");
        }

        var runAsUser = Environment.UserName == "root" ? ServiceUser : null;
        var server = new LocalPostgres(binDirectory, Path.GetFullPath(dataDirectory), runAsUser, logger);
        await server.StartAsync(serverSettings ?? new Dictionary<string, string>(), cancellationToken);
        return server;
    }

    /// <summary>Stops the server immediately, as a crash would (for tests of what survives one).</summary>
    public Task KillAsync() => PgCtlAsync(["stop", "-D", _dataDirectory, "-m", "immediate", "-s"], CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (!_startedHere)
        {
            return;
        }
        try
        {
            await PgCtlAsync(["stop", "-D", _dataDirectory, "-m", "fast", "-s", "-w", "-t", "30"], CancellationToken.None);
            _logger.LogInformation("Stopped local PostgreSQL in {DataDirectory}", _dataDirectory);
        }
        catch (InvalidOperationException ex)
        {
            _logger.LogWarning("Could not stop local PostgreSQL in {DataDirectory}: {Message}", _dataDirectory, ex.Message);
        }
    }

    private async Task StartAsync(IReadOnlyDictionary<string, string> serverSettings, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(_dataDirectory)!;
        Directory.CreateDirectory(parent);
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            await InitialiseAsync(cancellationToken);
        }

        if (ReadRunningPort() is { } runningPort && await AcceptsConnectionsAsync(runningPort, cancellationToken))
        {
            Port = runningPort;
            _logger.LogInformation("Using local PostgreSQL already running in {DataDirectory} on port {Port}", _dataDirectory, Port);
            return;
        }

        Port = FreeLoopbackPort();
        _serverSettings = serverSettings;
        await StartServerAsync(cancellationToken);
    }

    /// <summary>
    /// PostgreSQL's buffer pool for a machine with <paramref name="memoryBytes"/>: a quarter of it (the usual advice),
    /// between PostgreSQL's own default of 128 MB and 8 GB. The default pool holds a small part of a real archive, so
    /// most page reads become system calls into the OS cache: at 100,000 articles, 2 GB took 18-30% off PostgreSQL's CPU
    /// time per list, related or search request (the A/B in bench/results/100000-articles-zipf-7.md).
    /// </summary>
    internal static long SharedBuffersMegabytes(long memoryBytes) => Math.Clamp(memoryBytes / 4 / (1024 * 1024), 128, 8192);

    /// <summary>Starts the server again after <see cref="KillAsync"/>, on the same port (for tests of what survives a crash).</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var serverSettings = _serverSettings;
        var options = new List<string>
        {
            $"-p {Port}",
            "-c listen_addresses=127.0.0.1",
            $"-c unix_socket_directories={_dataDirectory}",
        };
        if (!serverSettings.ContainsKey("shared_buffers"))
        {
            options.Add($"-c shared_buffers={SharedBuffersMegabytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)}MB");
        }
        if (!serverSettings.ContainsKey("max_wal_size"))
        {
            // PostgreSQL's default of 1 GB checkpoints every 17 s during a bulk import, and every checkpoint is followed
            // by whole-page images of the index pages written next: 8 GB took the COPY of 100,000 synthetic articles
            // from 72 to 61 s. WAL only grows that far under such writes; a checkpoint still comes every 5 minutes.
            options.Add("-c max_wal_size=8GB");
        }
        options.AddRange(serverSettings.Select(s => $"-c {s.Key}={s.Value}"));
        await PgCtlAsync(
            ["start", "-D", _dataDirectory, "-w", "-t", "60", "-s", "-l", Path.Combine(_dataDirectory, "server.log"),
             "-o", string.Join(' ', options)],
            cancellationToken);
        _startedHere = true;
        _logger.LogInformation("Started local PostgreSQL ({BinDirectory}) in {DataDirectory} on 127.0.0.1:{Port}",
            _binDirectory, _dataDirectory, Port);
    }

    private async Task InitialiseAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Initialising a PostgreSQL data folder in {DataDirectory}", _dataDirectory);
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true); // a half-made folder from an interrupted initdb
        }
        Directory.CreateDirectory(_dataDirectory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await WriteSecretFileAsync(PasswordFile, password, cancellationToken);

        var initPasswordFile = Path.Combine(_dataDirectory, "..", Path.GetFileName(_dataDirectory) + ".initpw");
        await WriteSecretFileAsync(initPasswordFile, password, cancellationToken);
        if (_runAsUser is not null)
        {
            await RunAsync("chown", ["-R", $"{_runAsUser}:{_runAsUser}", _dataDirectory, initPasswordFile], null, cancellationToken);
        }
        try
        {
            // initdb wants an empty folder: it refuses one with files in it, so the folder stays bare until it is done.
            await RunAsync(Path.Combine(_binDirectory, "initdb"),
                ["-D", _dataDirectory, "-U", SuperUser, "--pwfile", initPasswordFile, "-E", "UTF8", "--locale=C.UTF-8",
                 "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "--no-sync"],
                _runAsUser, cancellationToken);
        }
        finally
        {
            File.Delete(initPasswordFile);
        }
    }

    /// <summary>A secret kept in <paramref name="path"/> (mode 0600), made up the first time it is asked for.</summary>
    public static async Task<string> ReadOrCreateSecretAsync(string path, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, ct)).Trim();
        }
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await WriteSecretFileAsync(path, secret, ct);
        return secret;
    }

    /// <summary>
    /// Writes a file only its owner can read, created with mode 0600 (not written at 0644 and narrowed after, which
    /// leaves a moment when anyone can read it). A file already there is removed first: it would keep its old mode.
    /// </summary>
    public static async Task WriteSecretFileAsync(string path, string content, CancellationToken ct)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using var file = new FileStream(path, options);
        await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(content), ct);
    }

    private int? ReadRunningPort()
    {
        var pidFile = Path.Combine(_dataDirectory, "postmaster.pid");
        try
        {
            // postmaster.pid: line 1 the pid, line 4 the port.
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        Port = port;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    private Task PgCtlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDirectory, "pg_ctl"), arguments, _runAsUser, cancellationToken);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, string? asUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            FileName = asUser is null ? file : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        if (asUser is not null)
        {
            foreach (var part in new[] { "-u", asUser, "--", file })
            {
                start.ArgumentList.Add(part);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        // pg_ctl's server writes to its own log file, so these pipes close when the command itself exits.
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: " +
                $"{(await error).Trim()} {(await output).Trim()}");
        }
    }

    private static string? FindBinDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => IsServerBin(d.Dir))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return newest.Dir;
            }
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(IsServerBin);
    }

    /// <summary>A folder with the server's programs; a link left dangling by an uninstalled package does not count.</summary>
    private static bool IsServerBin(string dir) => new[] { "pg_ctl", "initdb", "postgres" }.All(name =>
    {
        var file = new FileInfo(Path.Combine(dir, name));
        return file.Exists && (file.LinkTarget is null || file.ResolveLinkTarget(returnFinalTarget: true)?.Exists == true);
    });

    private static bool CanInstallWithApt() => Environment.UserName == "root" && File.Exists("/usr/bin/apt-get");

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
