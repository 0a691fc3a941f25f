using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <summary>
    /// An article's search vector stays in its row instead of going out to the TOAST table. Search reads the vectors of
    /// the newest matches twice (the match, then the rank), and a vector of 6.4 kB out of line cost a TOAST index
    /// lookup and four chunks each time: at 100,000 articles, ranking the 200 newest matches of a common word read
    /// 1,690 buffers in 3.1-3.5 ms, and 203 buffers in 0.53-0.61 ms with the vectors in their rows; a quoted phrase
    /// (1,000 rows looked at) went from 24-28 ms to 6.5-7 ms. MAIN lets a vector be compressed, and moved out only when
    /// the row cannot fit a page otherwise; the bodies go out first. A row then fills most of a page, so a read of many
    /// rows in a row (a sitemap page) reads more pages.
    ///
    /// Both settings apply to rows written from now on: the vectors of rows already there move when the row is next
    /// written (every update recomputes the vector) or when the table is rewritten (VACUUM FULL articles, then a plain
    /// VACUUM: a rewrite leaves the visibility map empty, and lists then answered 18-20 requests a second).
    /// </summary>
    [DbContext(typeof(ContentDb))]
    [Migration("20261207150000_SearchVectorInRow")]
    public partial class SearchVectorInRow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN;
            ALTER TABLE articles SET (toast_tuple_target = 8160);
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE EXTENDED;
            ALTER TABLE articles RESET (toast_tuple_target);
            """);
    }
}
