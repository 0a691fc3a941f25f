using ContentApi;
using ContentApi.Database;
using ContentApi.Health;
using ContentApi.Keys;
using ContentApi.Seeding;

if (args.FirstOrDefault() == "healthcheck")
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.AddContentApi();
var app = builder.Build();

IAsyncDisposable? database = null;
try
{
    database = await app.PrepareDatabaseAsync();

    // Commands: `seed` creates what the seed files hold and the database lacks, `seed --overwrite` rewrites from
    // the files, `seed --synthetic N` adds N generated articles; each then exits.
    if (args.FirstOrDefault() == "seed")
    {
        return await SeedCommand.RunAsync(app, args[1..]);
    }
    // `keys create|list|revoke`: the first admin key comes from here; later ones may come from /v1/manage/keys.
    if (args.FirstOrDefault() == "keys")
    {
        return await KeysCommand.RunAsync(app.Services, args[1..], Console.Out);
    }

    // Every start may seed (compose does): it only fills in what is missing, so no restart undoes an edit.
    if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>("Seed:OnStartup"))
    {
        await SeedCommand.ImportAsync(app, SeedMode.FillMissing, app.Lifetime.ApplicationStopping);
    }

    app.UseContentApi();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or SeedException)
{
    // Configuration and seed problems are the operator's to fix: say what, without a stack trace.
    await Console.Error.WriteLineAsync($"ContentApi cannot start: {ex.Message}");
    return 1;
}
finally
{
    if (database is not null)
    {
        await database.DisposeAsync();
    }
}

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
