using ContentApi.Content;
using ContentApi.Seeding;
using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Seeding;

public sealed class SeedImportTests : IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabaseServer.CreateEmptyAsync();
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => TestDatabaseServer.DropAsync(_connectionString);

    private async Task<SeedImporter.Result> ImportAsync(string folder, SeedMode mode = SeedMode.FillMissing)
    {
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        return await new SeedImporter(db, TimeProvider.System).ImportAsync(SeedFiles.Read(folder), mode, CancellationToken.None);
    }

    private async Task<int> CountRowsAsync()
    {
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        return await db.Articles.CountAsync() + await db.Authors.CountAsync() + await db.Sections.CountAsync()
               + await db.Topics.CountAsync() + await db.Works.CountAsync() + await db.FormerSlugs.CountAsync();
    }

    [Fact]
    public void The_seeds_hold_enough_content_for_lists_and_filters_to_mean_something()
    {
        var seeds = SeedFiles.Read(TestDatabaseServer.SeedsFolder);

        Assert.True(seeds.Articles.Count >= 12);
        Assert.True(seeds.Authors.Count >= 4);
        Assert.True(seeds.Sections.Count >= 3);
        Assert.True(seeds.Topics.Count >= 8);
        Assert.True(seeds.Works.Count >= 8);
    }

    [Fact]
    public async Task Importing_twice_changes_nothing_the_second_time()
    {
        var first = await ImportAsync(TestDatabaseServer.SeedsFolder);
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        var stampsBefore = await db.Articles.OrderBy(a => a.Slug).Select(a => new { a.Slug, a.UpdatedAt }).ToListAsync();
        var rowsBefore = await CountRowsAsync();

        var second = await ImportAsync(TestDatabaseServer.SeedsFolder);

        Assert.True(first.Created > 30);
        Assert.Equal(0, second.Created);
        Assert.Equal(0, second.Updated);
        Assert.Equal(first.Created, second.Unchanged);
        Assert.Equal(rowsBefore, await CountRowsAsync());
        db.ChangeTracker.Clear();
        Assert.Equal(stampsBefore, await db.Articles.OrderBy(a => a.Slug).Select(a => new { a.Slug, a.UpdatedAt }).ToListAsync());
    }

    [Fact]
    public async Task Filling_in_leaves_a_row_that_exists_as_it_is_even_when_its_file_changed()
    {
        await ImportAsync(TestDatabaseServer.SeedsFolder);
        var folder = await CopySeedsWithOneHeadingEditedAsync();

        var result = await ImportAsync(folder);

        Assert.Equal((0, 0), (result.Created, result.Updated));
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        var article = await db.Articles.SingleAsync(a => a.Slug == "venezuela-defies-the-us");
        Assert.Contains("Reassurances to Beijing", article.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overwriting_updates_only_what_changed_and_says_so()
    {
        await ImportAsync(TestDatabaseServer.SeedsFolder);
        var folder = await CopySeedsWithOneHeadingEditedAsync();

        var result = await ImportAsync(folder, SeedMode.Overwrite);

        Assert.Equal(1, result.Updated);
        Assert.Equal(["article 'venezuela-defies-the-us': updated"], result.Report);
        await using var db = TestDatabaseServer.OpenContentDb(_connectionString);
        var article = await db.Articles.SingleAsync(a => a.Slug == "venezuela-defies-the-us");
        Assert.Contains("Reassurances for Beijing", article.BodyHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_seeded_row_deleted_since_is_left_out_when_filling_in_and_brought_back_when_overwriting()
    {
        await ImportAsync(TestDatabaseServer.SeedsFolder);
        await using (var db = TestDatabaseServer.OpenContentDb(_connectionString))
        {
            // What DELETE /v1/manage/works/{id} leaves once no article shows the work.
            await db.Database.ExecuteSqlRawAsync("""
                DELETE FROM article_works WHERE work_id = (SELECT id FROM works WHERE slug = 'organ-works-of-the-baroque');
                DELETE FROM works WHERE slug = 'organ-works-of-the-baroque';
                """);
        }

        var filled = await ImportAsync(TestDatabaseServer.SeedsFolder);
        var overwritten = await ImportAsync(TestDatabaseServer.SeedsFolder, SeedMode.Overwrite);

        Assert.Equal(0, filled.Created);
        Assert.Contains("work 'organ-works-of-the-baroque': left out, an editor deleted it after it was seeded", filled.Report);
        Assert.Equal(1, overwritten.Created);
        Assert.Contains("work 'organ-works-of-the-baroque': created", overwritten.Report);
    }

    [Fact]
    public async Task A_row_renamed_since_it_was_seeded_is_found_by_its_former_slug_and_not_created_again()
    {
        await ImportAsync(TestDatabaseServer.SeedsFolder);
        await using (var db = TestDatabaseServer.OpenContentDb(_connectionString))
        {
            var topic = await db.Topics.SingleAsync(t => t.Slug == "russia");
            topic.Slug = "russian-federation";
            db.FormerSlugs.Add(new FormerSlug { ResourceType = "topic", Slug = "russia", ResourceId = topic.Id });
            await db.SaveChangesAsync();
        }

        var filled = await ImportAsync(TestDatabaseServer.SeedsFolder);
        var overwritten = await ImportAsync(TestDatabaseServer.SeedsFolder, SeedMode.Overwrite);

        Assert.Equal((0, 0), (filled.Created, overwritten.Created));
        await using var check = TestDatabaseServer.OpenContentDb(_connectionString);
        Assert.Equal("russian-federation", (await check.Topics.SingleAsync(t => t.Name == "Russia")).Slug);
    }

    [Fact]
    public async Task A_malformed_file_is_reported_with_its_path_and_nothing_is_written()
    {
        var folder = CopySeeds();
        var broken = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(broken)).Replace("status: published", "status: [published", StringComparison.Ordinal));

        var error = Assert.Throws<SeedException>(() => SeedFiles.Read(folder));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(broken, problem.Path);
        Assert.Matches("^line [0-9]+: ", problem.Message);
        Assert.Equal(0, await CountRowsAsync());
    }

    [Fact]
    public async Task Field_errors_name_the_field_and_every_file_with_a_problem_is_listed()
    {
        var folder = CopySeeds();
        await File.AppendAllTextAsync(Path.Combine(folder, "topics.yaml"), "\n- slug: Not A Slug\n  name: Broken\n");
        var article = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        await File.WriteAllTextAsync(article, (await File.ReadAllTextAsync(article)).Replace("publishedAt: 2026-02-06T15:00:00Z", "publishedAt: yesterday", StringComparison.Ordinal));

        var error = Assert.Throws<SeedException>(() => SeedFiles.Read(folder));

        Assert.Contains(error.Problems, p => p.Path.EndsWith("topics.yaml", StringComparison.Ordinal) && p.Message.Contains("slug", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(error.Problems, p => p.Path == article && p.Message.Contains("publishedAt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reference_to_content_that_does_not_exist_rolls_back_the_whole_import()
    {
        var folder = CopySeeds();
        var article = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        await File.WriteAllTextAsync(article, (await File.ReadAllTextAsync(article)).Replace("authors: [cassie-b]", "authors: [nobody-here]", StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<SeedException>(() => ImportAsync(folder));

        Assert.Contains(error.Problems, p => p.Message.Contains("author 'nobody-here' is not in authors.yaml", StringComparison.Ordinal));
        Assert.Equal(0, await CountRowsAsync());
    }

    [Fact]
    public async Task A_control_character_in_a_seed_file_is_reported_with_its_path_and_field()
    {
        var folder = CopySeeds();
        var article = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        var text = await File.ReadAllTextAsync(article);
        // The title through a YAML escape, the body as a raw byte after the front matter.
        text = System.Text.RegularExpressions.Regex.Replace(text, "(?m)^title: .*$", "title: \"Bell \\a in the title\"");
        await File.WriteAllTextAsync(article, text + "\nA vertical tab \u000b in the body.\n");
        await File.AppendAllTextAsync(Path.Combine(folder, "topics.yaml"), "\n- slug: escaped\n  name: \"Escape \\e here\"\n");

        var error = Assert.Throws<SeedException>(() => SeedFiles.Read(folder));

        Assert.Contains(error.Problems, p => p.Path == article && p.Message.Contains("Title", StringComparison.OrdinalIgnoreCase) && p.Message.Contains("U+0007", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Path == article && p.Message.Contains("Body", StringComparison.OrdinalIgnoreCase) && p.Message.Contains("U+000B", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Path.EndsWith("topics.yaml", StringComparison.Ordinal) && p.Message.Contains("Name", StringComparison.OrdinalIgnoreCase) && p.Message.Contains("U+001B", StringComparison.Ordinal));
        Assert.Equal(0, await CountRowsAsync());
    }

    [Fact]
    public async Task Markdown_nested_too_deeply_is_reported_for_its_file_and_nothing_is_written()
    {
        var folder = CopySeeds();
        var article = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        await File.AppendAllTextAsync(article, "\n\n" + new string('>', 200) + " too deep\n");

        var error = await Assert.ThrowsAsync<SeedException>(() => ImportAsync(folder));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(article, problem.Path);
        Assert.Contains("nested", problem.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountRowsAsync());
    }

    /// <summary>The seeds, with one subheading of the seed article reworded.</summary>
    private static async Task<string> CopySeedsWithOneHeadingEditedAsync()
    {
        var folder = CopySeeds();
        var path = Path.Combine(folder, "articles", "venezuela-defies-the-us.md");
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("## Reassurances to Beijing", "## Reassurances for Beijing", StringComparison.Ordinal));
        return folder;
    }

    private static string CopySeeds()
    {
        var target = Directory.CreateTempSubdirectory("contentapi-seeds-").FullName;
        foreach (var file in Directory.GetFiles(TestDatabaseServer.SeedsFolder, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(TestDatabaseServer.SeedsFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }
}
