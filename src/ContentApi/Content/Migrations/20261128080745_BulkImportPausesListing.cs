using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <inheritdoc />
    public partial class BulkImportPausesListing : Migration
    {
        // The listing triggers (ListedArticles) stand aside in a transaction that sets contentapi.bulk_import: the
        // synthetic import writes links' listed_at itself and adds its counts before it commits. Unlike
        // ALTER TABLE ... DISABLE TRIGGER, the setting ends with the importer's transaction, so a killed import
        // leaves nothing switched off, and other sessions' writes are counted all along.
        private const string NotBulkImport = "WHEN (current_setting('contentapi.bulk_import', true) IS DISTINCT FROM 'on')";

        private static readonly (string Name, string Definition)[] Triggers =
        [
            ("article_topics_listed_at", "BEFORE INSERT ON article_topics FOR EACH ROW {0} EXECUTE FUNCTION link_listed_at()"),
            ("article_authors_listed_at", "BEFORE INSERT ON article_authors FOR EACH ROW {0} EXECUTE FUNCTION link_listed_at()"),
            ("articles_listed_insert", "AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT {0} EXECUTE FUNCTION count_listed_articles()"),
            ("articles_listed_update", "AFTER UPDATE ON articles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT {0} EXECUTE FUNCTION count_listed_articles()"),
            ("articles_listed_delete", "AFTER DELETE ON articles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT {0} EXECUTE FUNCTION count_listed_articles()"),
            .. new[] { "topic", "author" }.SelectMany(kind => new[]
            {
                ($"article_{kind}s_listed_insert", $"AFTER INSERT ON article_{kind}s REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT {{0}} EXECUTE FUNCTION count_listed_{kind}s()"),
                ($"article_{kind}s_listed_update", $"AFTER UPDATE ON article_{kind}s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT {{0}} EXECUTE FUNCTION count_listed_{kind}s()"),
                ($"article_{kind}s_listed_delete", $"AFTER DELETE ON article_{kind}s REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT {{0}} EXECUTE FUNCTION count_listed_{kind}s()"),
            }),
        ];

        private static string Recreate(string condition) => string.Concat(Triggers.Select(t =>
        {
            var on = t.Definition.Split(" ON ")[1].Split(' ')[0];
            return $"DROP TRIGGER {t.Name} ON {on}; CREATE TRIGGER {t.Name} {string.Format(t.Definition, condition)};\n";
        }));

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Recreate(NotBulkImport));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Recreate(""));
    }
}
