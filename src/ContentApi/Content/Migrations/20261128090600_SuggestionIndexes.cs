using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <inheritdoc />
    public partial class SuggestionIndexes : Migration
    {
        // Search-box suggestions match names anywhere in them (LIKE '%ven%'); trigram indexes answer that without
        // reading every row. pg_trgm ships with PostgreSQL and is a trusted extension: the database's owner may add it.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE INDEX ix_articles_title_trgm ON articles USING gin (lower(title) gin_trgm_ops) WHERE status IN ('published', 'scheduled');
            CREATE INDEX ix_topics_name_trgm ON topics USING gin (lower(name) gin_trgm_ops);
            CREATE INDEX ix_authors_name_trgm ON authors USING gin (lower(name) gin_trgm_ops);
            CREATE INDEX ix_works_title_trgm ON works USING gin (lower(title) gin_trgm_ops);
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            DROP INDEX ix_articles_title_trgm;
            DROP INDEX ix_topics_name_trgm;
            DROP INDEX ix_authors_name_trgm;
            DROP INDEX ix_works_title_trgm;
            """);
    }
}
