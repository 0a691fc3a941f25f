using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <inheritdoc />
    public partial class ListedArticles : Migration
    {
        // An article is listed while published or scheduled (ArticleVisibility adds "and its time has come").
        // Links copy its publish time while it is listed; listed_counts keeps how many are listed in all and per
        // section, topic and author. Statement triggers with transition tables count once per statement, so a
        // COPY of 100,000 articles is one upsert per key, and an edit that changes nothing listed writes none.
        private const string Zero = "'00000000-0000-0000-0000-000000000000'::uuid";
        private const string Listed = "status IN ('published', 'scheduled')";

        private static readonly string ListedSql = $$"""
            CREATE FUNCTION article_listed_at(status text, published_at timestamptz) RETURNS timestamptz
                LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN {{Listed}} THEN published_at END $$;

            -- Adds delta for each key (once per occurrence) to its count.
            CREATE FUNCTION add_listed(kind text, keys uuid[], delta int) RETURNS void LANGUAGE sql AS $$
                INSERT INTO listed_counts AS c (kind, key, listed)
                SELECT kind, k, count(*)::int * delta FROM unnest(keys) AS k GROUP BY k
                ON CONFLICT (kind, key) DO UPDATE SET listed = c.listed + excluded.listed
            $$;

            UPDATE article_topics l SET listed_at = article_listed_at(a.status, a.published_at) FROM articles a WHERE a.id = l.article_id;
            UPDATE article_authors l SET listed_at = article_listed_at(a.status, a.published_at) FROM articles a WHERE a.id = l.article_id;
            INSERT INTO listed_counts (kind, key, listed)
                SELECT 'all', {{Zero}}, count(*) FROM articles WHERE {{Listed}}
                UNION ALL SELECT 'section', section_id, count(*) FROM articles WHERE {{Listed}} GROUP BY section_id
                UNION ALL SELECT 'topic', topic_id, count(*) FROM article_topics WHERE listed_at IS NOT NULL GROUP BY topic_id
                UNION ALL SELECT 'author', author_id, count(*) FROM article_authors WHERE listed_at IS NOT NULL GROUP BY author_id;

            -- A new link takes its article's state; later changes of the article reach it from the articles trigger.
            CREATE FUNCTION link_listed_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.listed_at := (SELECT article_listed_at(a.status, a.published_at) FROM articles a WHERE a.id = NEW.article_id);
                RETURN NEW;
            END $$;
            CREATE TRIGGER article_topics_listed_at BEFORE INSERT ON article_topics FOR EACH ROW EXECUTE FUNCTION link_listed_at();
            CREATE TRIGGER article_authors_listed_at BEFORE INSERT ON article_authors FOR EACH ROW EXECUTE FUNCTION link_listed_at();

            CREATE FUNCTION count_listed_articles() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                added uuid[] := '{}';
                removed uuid[] := '{}';
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    added := ARRAY(SELECT section_id FROM new_rows WHERE {{Listed}});
                ELSIF TG_OP = 'DELETE' THEN
                    removed := ARRAY(SELECT section_id FROM old_rows WHERE {{Listed}});
                ELSE
                    added := ARRAY(SELECT section_id FROM new_rows WHERE {{Listed}} EXCEPT ALL SELECT section_id FROM old_rows WHERE {{Listed}});
                    removed := ARRAY(SELECT section_id FROM old_rows WHERE {{Listed}} EXCEPT ALL SELECT section_id FROM new_rows WHERE {{Listed}});
                    UPDATE article_topics l SET listed_at = article_listed_at(n.status, n.published_at) FROM new_rows n
                        WHERE l.article_id = n.id AND l.listed_at IS DISTINCT FROM article_listed_at(n.status, n.published_at);
                    UPDATE article_authors l SET listed_at = article_listed_at(n.status, n.published_at) FROM new_rows n
                        WHERE l.article_id = n.id AND l.listed_at IS DISTINCT FROM article_listed_at(n.status, n.published_at);
                END IF;
                IF cardinality(added) > 0 THEN
                    PERFORM add_listed('section', added, 1);
                END IF;
                IF cardinality(removed) > 0 THEN
                    PERFORM add_listed('section', removed, -1);
                END IF;
                IF cardinality(added) <> cardinality(removed) THEN
                    PERFORM add_listed('all', ARRAY[{{Zero}}], cardinality(added) - cardinality(removed));
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER articles_listed_insert AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_articles();
            CREATE TRIGGER articles_listed_update AFTER UPDATE ON articles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_articles();
            CREATE TRIGGER articles_listed_delete AFTER DELETE ON articles REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_articles();

            {{LinkCounting("topic")}}
            {{LinkCounting("author")}}
            """;

        private static string LinkCounting(string kind) => $$"""
            CREATE FUNCTION count_listed_{{kind}}s() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    PERFORM add_listed('{{kind}}', ARRAY(SELECT {{kind}}_id FROM new_rows WHERE listed_at IS NOT NULL), 1);
                END IF;
                IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    PERFORM add_listed('{{kind}}', ARRAY(SELECT {{kind}}_id FROM old_rows WHERE listed_at IS NOT NULL), -1);
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER article_{{kind}}s_listed_insert AFTER INSERT ON article_{{kind}}s REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_{{kind}}s();
            CREATE TRIGGER article_{{kind}}s_listed_update AFTER UPDATE ON article_{{kind}}s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_{{kind}}s();
            CREATE TRIGGER article_{{kind}}s_listed_delete AFTER DELETE ON article_{{kind}}s REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION count_listed_{{kind}}s();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "listed_at",
                table: "article_topics",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "listed_at",
                table: "article_authors",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "listed_counts",
                columns: table => new
                {
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    key = table.Column<Guid>(type: "uuid", nullable: false),
                    listed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_listed_counts", x => new { x.kind, x.key });
                    table.CheckConstraint("ck_listed_counts_kind", "kind IN ('all', 'section', 'topic', 'author')");
                });

            migrationBuilder.Sql(ListedSql);

            migrationBuilder.CreateIndex(
                name: "ix_articles_scheduled",
                table: "articles",
                column: "published_at",
                filter: "status = 'scheduled'");

            migrationBuilder.CreateIndex(
                name: "ix_article_topics_listed",
                table: "article_topics",
                columns: new[] { "topic_id", "listed_at", "article_id" },
                descending: new[] { false, true, true },
                filter: "listed_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_article_authors_listed",
                table: "article_authors",
                columns: new[] { "author_id", "listed_at", "article_id" },
                descending: new[] { false, true, true },
                filter: "listed_at IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER article_topics_listed_at ON article_topics;
                DROP TRIGGER article_authors_listed_at ON article_authors;
                DROP TRIGGER articles_listed_insert ON articles;
                DROP TRIGGER articles_listed_update ON articles;
                DROP TRIGGER articles_listed_delete ON articles;
                DROP TRIGGER article_topics_listed_insert ON article_topics;
                DROP TRIGGER article_topics_listed_update ON article_topics;
                DROP TRIGGER article_topics_listed_delete ON article_topics;
                DROP TRIGGER article_authors_listed_insert ON article_authors;
                DROP TRIGGER article_authors_listed_update ON article_authors;
                DROP TRIGGER article_authors_listed_delete ON article_authors;
                DROP FUNCTION count_listed_articles();
                DROP FUNCTION count_listed_topics();
                DROP FUNCTION count_listed_authors();
                DROP FUNCTION add_listed(text, uuid[], int);
                DROP FUNCTION link_listed_at();
                DROP FUNCTION article_listed_at(text, timestamptz);
                """);

            migrationBuilder.DropTable(
                name: "listed_counts");

            migrationBuilder.DropIndex(
                name: "ix_articles_scheduled",
                table: "articles");

            migrationBuilder.DropIndex(
                name: "ix_article_topics_listed",
                table: "article_topics");

            migrationBuilder.DropIndex(
                name: "ix_article_authors_listed",
                table: "article_authors");

            migrationBuilder.DropColumn(
                name: "listed_at",
                table: "article_topics");

            migrationBuilder.DropColumn(
                name: "listed_at",
                table: "article_authors");
        }
    }
}
