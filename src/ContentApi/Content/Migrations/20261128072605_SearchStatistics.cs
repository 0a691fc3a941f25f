using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <inheritdoc />
    public partial class SearchStatistics : Migration
    {
        // Search takes the newest matches of a query. For a common word the planner walks the date index and stops
        // early; for a rare one it must read the matches from the search index, or the walk reads every article
        // (105 s at a million articles, cut off by the statement timeout). It tells them apart by the words the column's
        // statistics track: 1,000 by default, the commonest of a vocabulary of tens of thousands. Tracking 10,000 lets
        // it see which words are rare. ANALYZE of the column took 24 s at a million articles.
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS 1000;");
            migrationBuilder.Sql("ANALYZE articles (search_vector);", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS -1;");
        }
    }
}
