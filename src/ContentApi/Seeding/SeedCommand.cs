using System.Diagnostics;
using System.Globalization;
using ContentApi.Database;

namespace ContentApi.Seeding;

/// <summary>The <c>seed</c> command line: import the seed files, or generate synthetic articles for benchmarks.</summary>
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
            await ImportAsync(app, CancellationToken.None); // the generator draws on the seeded sections, topics and authors
            await SyntheticArticles.GenerateAsync(app.Services, count, Console.Out, CancellationToken.None);
            return 0;
        }
        await ImportAsync(app, CancellationToken.None);
        return 0;
    }

    public static async Task ImportAsync(WebApplication app, CancellationToken ct)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ContentApi.Seeding");
        var folder = app.SeedsFolder();
        var clock = Stopwatch.StartNew();
        var result = await app.Services.ImportSeedsAsync(folder, ct);
        logger.LogInformation("Seeds from {Folder}: {Created} created, {Updated} updated, {Unchanged} unchanged in {Elapsed} ms",
            folder, result.Created, result.Updated, result.Unchanged, clock.ElapsedMilliseconds);
    }
}
