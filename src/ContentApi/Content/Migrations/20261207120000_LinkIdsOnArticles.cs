using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <summary>
    /// Each article keeps its topic ids and its author ids (in byline order) in its own row, so that a card reads one
    /// row instead of walking both link tables (two index lookups and two aggregates a card). The links stay the truth:
    /// statement triggers on them copy the ids into the article within the writer's own statement, whoever writes.
    /// They stand aside during the synthetic import (contentapi.bulk_import), which writes the ids in its COPY. Not in
    /// the EF model: nothing writes them but these triggers and the import.
    /// </summary>
    [DbContext(typeof(ContentDb))]
    [Migration("20261207120000_LinkIdsOnArticles")]
    public partial class LinkIdsOnArticles : Migration
    {
        private const string NotBulkImport = "WHEN (current_setting('contentapi.bulk_import', true) IS DISTINCT FROM 'on')";

        // Per link table: the article's column, the id it copies, the order of the ids, and what a link contributes.
        private static readonly (string Table, string Column, string Id, string Order, string Key)[] Links =
        [
            ("article_topics", "topic_ids", "topic_id", "l.topic_id", "topic_id"),
            ("article_authors", "author_ids", "author_id", "l.position, l.author_id", "author_id, position"),
        ];

        private static string Fresh((string Table, string Column, string Id, string Order, string Key) link, string article) =>
            $"ARRAY(SELECT l.{link.Id} FROM {link.Table} l WHERE l.article_id = {article} ORDER BY {link.Order})";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(CopiesSql);
            // The backfill writes every article again (133 s for 100,000). Until a vacuum has been through, planning a
            // list statement took 22-38 ms, the planner stepping over the old rows as it looks for the newest date in
            // the index, and lists answered 12-25 requests a second where they answer 1,700 after it. Autovacuum gets
            // there a minute or so later; this does it at once. VACUUM cannot run in the migration's transaction, so
            // the statements above can run again should it fail.
            migrationBuilder.Sql("VACUUM (ANALYZE) articles;", suppressTransaction: true);
        }

        private static string CopiesSql => $$"""
            ALTER TABLE articles ADD COLUMN IF NOT EXISTS topic_ids uuid[] NOT NULL DEFAULT '{}',
                                 ADD COLUMN IF NOT EXISTS author_ids uuid[] NOT NULL DEFAULT '{}';
            UPDATE articles a SET {{string.Join(", ", Links.Select(l => $"{l.Column} = {Fresh(l, "a.id")}"))}}
                WHERE EXISTS (SELECT FROM article_topics l WHERE l.article_id = a.id)
                   OR EXISTS (SELECT FROM article_authors l WHERE l.article_id = a.id);
            {{string.Concat(Links.Select(l => $$"""
                -- The articles whose {{l.Table}} changed in this statement get their ids again. An update that only moves
                -- listed_at (the articles trigger does, on every publish) touches none, and returns at once: that also
                -- ends the chain this trigger's own update of articles starts.
                CREATE OR REPLACE FUNCTION copy_{{l.Column}}() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    touched uuid[];
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        touched := ARRAY(SELECT DISTINCT article_id FROM new_rows);
                    ELSIF TG_OP = 'DELETE' THEN
                        touched := ARRAY(SELECT DISTINCT article_id FROM old_rows);
                    ELSE
                        touched := ARRAY(SELECT article_id FROM ((SELECT article_id, {{l.Key}} FROM new_rows EXCEPT SELECT article_id, {{l.Key}} FROM old_rows)
                                                          UNION (SELECT article_id, {{l.Key}} FROM old_rows EXCEPT SELECT article_id, {{l.Key}} FROM new_rows)) moved);
                    END IF;
                    IF cardinality(touched) > 0 THEN
                        -- Lock first, read after: a writer that waited here for another's commit then reads its links
                        -- too (each statement takes a new snapshot), where a lone UPDATE would keep the ids it read
                        -- before the wait.
                        PERFORM FROM articles WHERE id = ANY (touched) ORDER BY id FOR UPDATE;
                        UPDATE articles a SET {{l.Column}} = fresh.ids
                        FROM (SELECT t.id, {{Fresh(l, "t.id")}} AS ids FROM unnest(touched) AS t (id)) fresh
                        WHERE a.id = fresh.id AND a.{{l.Column}} IS DISTINCT FROM fresh.ids;
                    END IF;
                    RETURN NULL;
                END $$;
                DROP TRIGGER IF EXISTS {{l.Table}}_ids_insert ON {{l.Table}};
                CREATE TRIGGER {{l.Table}}_ids_insert AFTER INSERT ON {{l.Table}} REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION copy_{{l.Column}}();
                DROP TRIGGER IF EXISTS {{l.Table}}_ids_update ON {{l.Table}};
                CREATE TRIGGER {{l.Table}}_ids_update AFTER UPDATE ON {{l.Table}} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION copy_{{l.Column}}();
                DROP TRIGGER IF EXISTS {{l.Table}}_ids_delete ON {{l.Table}};
                CREATE TRIGGER {{l.Table}}_ids_delete AFTER DELETE ON {{l.Table}} REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION copy_{{l.Column}}();

                """))}}
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(string.Concat(Links.Select(l => $"""
            DROP TRIGGER {l.Table}_ids_insert ON {l.Table};
            DROP TRIGGER {l.Table}_ids_update ON {l.Table};
            DROP TRIGGER {l.Table}_ids_delete ON {l.Table};
            DROP FUNCTION copy_{l.Column}();
            ALTER TABLE articles DROP COLUMN {l.Column};

            """)));
    }
}
