using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContentApi.Tests.Seeding;

/// <summary>Replicas of a deployment start together: they must take turns migrating and seeding one database.</summary>
[Trait("Category", "Slow")]
public sealed class ConcurrentStartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_processes_starting_together_on_an_empty_database_both_come_up_with_one_copy_of_everything()
    {
        var database = await TestDatabaseServer.CreateEmptyAsync();
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["Seed__OnStartup"] = "true",
                ["Seed__Folder"] = TestDatabaseServer.SeedsFolder,
                ["Webhooks__DispatcherEnabled"] = "false",
            };
            await using var first = ApiProcess.Start(database, output, settings);
            await using var second = ApiProcess.Start(database, output, settings);

            await Task.WhenAll(first.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), second.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));

            var seeds = SeedFiles.Read(TestDatabaseServer.SeedsFolder);
            await using var db = TestDatabaseServer.OpenContentDb(database);
            Assert.Equal(seeds.Articles.Count, await db.Articles.CountAsync());
            Assert.Equal(seeds.Authors.Count, await db.Authors.CountAsync());
            Assert.Equal(seeds.Sections.Count, await db.Sections.CountAsync());
            Assert.Equal(seeds.Topics.Count, await db.Topics.CountAsync());
            Assert.Equal(seeds.Works.Count, await db.Works.CountAsync());
            // The second process found everything in place and announced nothing a second time.
            var announcedTwice = await db.ContentChanges.GroupBy(c => c.ResourceId).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync();
            Assert.Empty(announcedTwice);
            Assert.NotEmpty(await db.ContentChanges.ToListAsync());
        }
        finally
        {
            await TestDatabaseServer.DropAsync(database);
        }
    }
}
