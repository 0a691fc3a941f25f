using System.Globalization;
using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Keys;

/// <summary>
/// The <c>keys</c> command line, for the first admin key and for operators:
/// <c>keys create --name NAME --scope SCOPE [--scope SCOPE] [--expires 2027-06-30T00:00:00Z]</c>,
/// <c>keys list</c>, <c>keys revoke ID</c>.
/// </summary>
public static class KeysCommand
{
    private const string Usage = """
        usage: keys create --name NAME --scope SCOPE [--scope SCOPE ...] [--expires TIME]
               keys list
               keys revoke ID
        scopes: content:preview, content:write, admin
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ContentDb>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        switch (args)
        {
            case ["create", .. var options]:
                var name = Values(options, "--name").LastOrDefault();
                var scopes = Values(options, "--scope");
                var expires = Values(options, "--expires").LastOrDefault();
                DateTimeOffset? expiresAt = null;
                if (expires is not null)
                {
                    if (!DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) || at <= now)
                    {
                        return await FailAsync("--expires must be a future time, like 2027-06-30T00:00:00Z.");
                    }
                    expiresAt = at.ToUniversalTime();
                }
                var problems = new KeyInputValidator(TimeProvider.System).Validate(new KeyInput(name, scopes, expiresAt));
                if (!problems.IsValid)
                {
                    return await FailAsync(string.Join(" ", problems.Errors.Select(e => e.ErrorMessage)));
                }
                var (key, secret) = ApiKeySecrets.Issue(db, name!, scopes, expiresAt, now);
                await db.SaveChangesAsync();
                await output.WriteLineAsync($"Created key {key.Id} '{key.Name}' with scopes {string.Join(", ", key.Scopes)}.");
                await output.WriteLineAsync("Its secret, shown this once (send it as 'Authorization: Bearer <secret>'):");
                await output.WriteLineAsync(secret);
                return 0;
            case ["list"]:
                foreach (var k in await db.ApiKeys.AsNoTracking().OrderBy(k => k.Id).ToListAsync())
                {
                    var state = k.RevokedAt is not null ? "revoked" : k.ExpiresAt <= now ? "expired" : "active";
                    await output.WriteLineAsync(
                        $"{k.Id}  {k.Prefix}...  {k.Name}  [{string.Join(' ', k.Scopes)}]  {state}  last used {k.LastUsedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never"}");
                }
                return 0;
            case ["revoke", var id]:
                if (!Guid.TryParse(id, out var keyId))
                {
                    return await FailAsync($"'{id}' is not a key id; 'keys list' shows them.");
                }
                var revoked = await db.ApiKeys.Where(k => k.Id == keyId && k.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now));
                if (revoked == 0 && !await db.ApiKeys.AnyAsync(k => k.Id == keyId))
                {
                    return await FailAsync($"No key has the id {keyId}.");
                }
                await output.WriteLineAsync($"Revoked key {keyId}.");
                return 0;
            default:
                return await FailAsync(Usage);
        }
    }

    private static List<string> Values(string[] options, string name) =>
        options.Select((value, i) => (value, i)).Where(o => o.value == name && o.i + 1 < options.Length)
            .Select(o => options[o.i + 1]).ToList();

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync(message);
        return 2;
    }
}
