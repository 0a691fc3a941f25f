using ContentApi.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Tests.Content;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_the_model_has_no_pending_changes()
    {
        var connectionString = await TestDatabaseServer.CreateEmptyAsync();
        try
        {
            await using var db = TestDatabaseServer.OpenContentDb(connectionString);
            await db.Database.MigrateAsync();

            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.False(db.Database.HasPendingModelChanges(),
                "the model differs from the last migration: run dotnet ef migrations add <Name> --project src/ContentApi --output-dir Content/Migrations");
            Assert.Equal(0, await db.Articles.CountAsync());
        }
        finally
        {
            await TestDatabaseServer.DropAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("UPDATE articles SET slug = 'Bad Slug' WHERE slug = 'venezuela-defies-the-us'", "ck_articles_slug")]
    [InlineData("UPDATE articles SET status = 'live' WHERE slug = 'venezuela-defies-the-us'", "ck_articles_status")]
    [InlineData("UPDATE articles SET published_at = NULL WHERE slug = 'venezuela-defies-the-us'", "ck_articles_published_at")]
    [InlineData("UPDATE works SET kind = 'vinyl' WHERE slug = 'war-just-war'", "ck_works_kind")]
    [InlineData("UPDATE topics SET slug = (SELECT slug FROM topics ORDER BY slug LIMIT 1 OFFSET 1) WHERE slug = (SELECT slug FROM topics ORDER BY slug LIMIT 1)", "ix_topics_slug")]
    [InlineData("DELETE FROM sections WHERE slug = 'international-affairs'", "fk_articles_sections_section_id")]
    [InlineData("DELETE FROM authors WHERE slug = 'cassie-b'", "fk_article_authors_authors_author_id")]
    public async Task The_database_itself_refuses_content_that_breaks_the_rules(string sql, string constraint)
    {
        var connectionString = await TestDatabaseServer.CloneTemplateAsync();
        try
        {
            var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => TestDatabaseServer.ExecuteAsync(connectionString, sql));
            Assert.Equal(constraint, error.ConstraintName);
        }
        finally
        {
            await TestDatabaseServer.DropAsync(connectionString);
        }
    }
}
