using ContentApi.Housekeeping;
using ContentApi.Manage.Versions;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContentApi.Tests.Housekeeping;

/// <summary>The API with a version limit set: each resource's newest 3 versions, and none older than 30 days but its newest.</summary>
public sealed class LimitedHistoryApi() : ApiFactory(new ApiSettings
{
    Configuration = new Dictionary<string, string?> { ["Retention:VersionsKept"] = "3", ["Retention:VersionDays"] = "30" },
});

public sealed class VersionRetentionTests(LimitedHistoryApi api) : IClassFixture<LimitedHistoryApi>
{
    [Fact]
    public async Task Pruning_keeps_the_newest_versions_within_the_limits_and_always_each_resources_newest()
    {
        var now = DateTimeOffset.UtcNow;
        var (busy, stale, mixed) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var db = TestDatabaseServer.OpenContentDb(api.ConnectionString))
        {
            void Add(Guid id, int version, int daysOld) => db.ResourceVersions.Add(new ResourceVersion
            {
                ResourceId = id, Version = version, ResourceType = "topic", At = now.AddDays(-daysOld), KeyName = "test", Action = "patch",
                Snapshot = $$"""{"version":{{version}}}""",
            });
            for (var version = 1; version <= 6; version++)
            {
                Add(busy, version, daysOld: 0); // young, but past the count: 1 to 3 go
            }
            for (var version = 1; version <= 3; version++)
            {
                Add(stale, version, daysOld: 60); // all old: only the newest stays
            }
            Add(mixed, 1, daysOld: 45);
            Add(mixed, 2, daysOld: 1);
            await db.SaveChangesAsync();
        }

        var pruned = await api.Services.GetRequiredService<RetentionPruning>().PruneAsync(CancellationToken.None);

        await using var check = TestDatabaseServer.OpenContentDb(api.ConnectionString);
        async Task<int[]> Kept(Guid id) => await check.ResourceVersions.Where(v => v.ResourceId == id).OrderBy(v => v.Version).Select(v => v.Version).ToArrayAsync();
        Assert.Equal(new[] { 4, 5, 6 }, await Kept(busy));
        Assert.Equal(new[] { 3 }, await Kept(stale));
        Assert.Equal(new[] { 2 }, await Kept(mixed));
        Assert.True(pruned.Versions >= 6, $"pruned {pruned}"); // the clone's own versions may add to it
        Assert.Equal(0, (await api.Services.GetRequiredService<RetentionPruning>().PruneAsync(CancellationToken.None)).Versions);
    }
}

/// <summary>A retention setting that would delete everything is refused at start, before the pruning job can run.</summary>
public sealed class RetentionSettingTests
{
    [Theory]
    [InlineData("Retention:VersionDays", "-1")]
    [InlineData("Retention:VersionsKept", "0")]
    [InlineData("Retention:AuditDays", "-30")]
    [InlineData("Retention:WebhookDeliveryDays", "0")]
    [InlineData("Retention:IdempotencyKeyHours", "-1")]
    [InlineData("Retention:IntervalMinutes", "0")]
    public async Task A_setting_below_one_stops_the_start_and_names_itself(string key, string value)
    {
        // No database is reached: the settings are read while the services are registered.
        await using var api = ApiFactory.With(new ApiSettings
        {
            Database = "Host=127.0.0.1;Port=1;Username=none;Password=none;Database=none;Timeout=1",
            Configuration = new Dictionary<string, string?> { [key] = value },
        });

        var refused = Assert.ThrowsAny<Exception>(() => api.CreateClient());

        Assert.Contains($"{key} must be at least 1", refused.ToString(), StringComparison.Ordinal);
    }
}
