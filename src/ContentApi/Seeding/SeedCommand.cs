using System.Diagnostics;
using System.Globalization;
using ContentApi.Database;

namespace ContentApi.Seeding;

/// <summary>
/// The <c>seed</c> command line: create what the seed files hold and the database lacks; with <c>--overwrite</c>,
/// rewrite the database's copy from the files (printing a line per row it changed); with <c>--synthetic N</c>,
/// add generated articles for benchmarks.
/// </summary>
public static class SeedCommand
{
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var synthetic = Array.IndexOf(args, "--synthetic");
        if (synthetic >= 0)
        {
            if (synthetic + 1 >= args.Length || !int.TryParse(args[synthetic + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                await Console.Error.WriteLineAsync("usage: seed --synthetic N   (N: how many articles to generate, 1 or more)");
                return 2;
            }
            await ImportAsync(app, SeedMode.FillMissing, CancellationToken.None); // the generator draws on the seeded sections, topics and authors
            // Bulk loading drops and rebuilds the search index: the schema owner's work, not the API role's.
            await using var owner = Npgsql.NpgsqlDataSource.Create(DatabaseSetup.OwnerConnectionString(app.Configuration));
            await SyntheticArticles.GenerateAsync(app.Services, owner, count, Console.Out, CancellationToken.None);
            return 0;
        }
        var mode = args.Contains("--overwrite") ? SeedMode.Overwrite : SeedMode.FillMissing;
        var result = await ImportAsync(app, mode, CancellationToken.None);
        foreach (var line in result.Report)
        {
            Console.WriteLine(line);
        }
        return 0;
    }

    /// <summary>Imports the seeds folder and logs what it did; what every start runs with <see cref="SeedMode.FillMissing"/>.</summary>
    public static async Task<SeedImporter.Result> ImportAsync(WebApplication app, SeedMode mode, CancellationToken ct)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContentApi.Seeding");
        var folder = app.SeedsFolder();
        var clock = Stopwatch.StartNew();
        var result = await app.Services.ImportSeedsAsync(folder, mode, ct);
        logger.LogInformation("Seeds from {Folder} ({Mode}): {Created} created, {Updated} updated, {Unchanged} unchanged in {Elapsed} ms",
            folder, mode, result.Created, result.Updated, result.Unchanged, clock.ElapsedMilliseconds);
        return result;
    }
}
