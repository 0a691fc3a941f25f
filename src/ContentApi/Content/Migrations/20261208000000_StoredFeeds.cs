using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <summary>
    /// Feeds kept as rendered (<see cref="Feeds.StoredFeeds"/>). A feed depends on the newest articles of its scope and
    /// on names. feed_generations counts the writes that may change each scope's feed: statement triggers on articles
    /// move the counter of every scope (all, section, topic, author) of each listed row written, before and after the
    /// write, in the writer's own transaction; writes to sections move the ('names') counter every feed reads, as
    /// card_names_stamp does for authors and topics. A rendering keeps the counters it read before it read the
    /// articles, and is served only while they are unchanged: a write that commits after a rendering's reads has
    /// moved a counter, whatever the order in which the two commit. Not in the EF model: SQL reads and writes them.
    /// </summary>
    [DbContext(typeof(ContentDb))]
    [Migration("20261208000000_StoredFeeds")]
    public partial class StoredFeeds : Migration
    {
        private const string Zero = "'00000000-0000-0000-0000-000000000000'::uuid";
        private const string Listed = "status IN ('published', 'scheduled')";
        private const string NotBulkImport = "WHEN (current_setting('contentapi.bulk_import', true) IS DISTINCT FROM 'on')";

        // The columns a feed shows or selects by; an update that changes none of them (say, the link triggers' copy of
        // the same ids) moves no counter.
        private static readonly string[] Shown =
        [
            "status", "published_at", "updated_at", "slug", "title", "excerpt", "section_id", "topic_ids", "author_ids",
            "canonical_url", "image_url", "original_publication_outlet", "original_publication_url",
            "original_publication_published_on", "original_publication_title", "body_html",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($$"""
            CREATE TABLE feed_generations (
                kind text NOT NULL,
                key uuid NOT NULL,
                generation bigint NOT NULL,
                PRIMARY KEY (kind, key));
            CREATE TABLE feed_renderings (
                key text PRIMARY KEY,
                scope_kind text NOT NULL,
                scope_key uuid NOT NULL,
                scope_generation bigint NOT NULL,
                names_generation bigint NOT NULL,
                valid_until timestamptz,
                last_modified timestamptz,
                body bytea NOT NULL,
                rendered_at timestamptz NOT NULL DEFAULT now());
            -- Read whole on every request: kept uncompressed, at the cost of the disk.
            ALTER TABLE feed_renderings ALTER COLUMN body SET STORAGE EXTERNAL;

            -- Moves each scope's counter once, in a fixed order, so that two writers take the rows' locks alike.
            CREATE FUNCTION bump_feed_generations(kinds text[], keys uuid[]) RETURNS void LANGUAGE sql AS $$
                INSERT INTO feed_generations AS g (kind, key, generation)
                SELECT DISTINCT kind, key, 1 FROM unnest(kinds, keys) AS s (kind, key) ORDER BY kind, key
                ON CONFLICT (kind, key) DO UPDATE SET generation = g.generation + 1
            $$;

            CREATE FUNCTION article_feed_scopes(section_id uuid, topic_ids uuid[], author_ids uuid[])
                RETURNS TABLE (kind text, key uuid) LANGUAGE sql IMMUTABLE AS $$
                SELECT 'all', {{Zero}} UNION ALL SELECT 'section', section_id
                UNION ALL SELECT 'topic', t FROM unnest(topic_ids) t UNION ALL SELECT 'author', a FROM unnest(author_ids) a
            $$;

            CREATE FUNCTION bump_article_feeds() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                kinds text[];
                keys uuid[];
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    SELECT array_agg(s.kind), array_agg(s.key) INTO kinds, keys
                    FROM new_rows n, article_feed_scopes(n.section_id, n.topic_ids, n.author_ids) s WHERE n.{{Listed}};
                ELSIF TG_OP = 'DELETE' THEN
                    SELECT array_agg(s.kind), array_agg(s.key) INTO kinds, keys
                    FROM old_rows o, article_feed_scopes(o.section_id, o.topic_ids, o.author_ids) s WHERE o.{{Listed}};
                ELSE
                    SELECT array_agg(s.kind), array_agg(s.key) INTO kinds, keys
                    FROM old_rows o JOIN new_rows n ON n.id = o.id,
                         LATERAL (SELECT * FROM article_feed_scopes(o.section_id, o.topic_ids, o.author_ids) WHERE o.{{Listed}}
                                  UNION ALL
                                  SELECT * FROM article_feed_scopes(n.section_id, n.topic_ids, n.author_ids) WHERE n.{{Listed}}) s
                    WHERE {{string.Join(" OR ", Shown.Select(c => $"o.{c} IS DISTINCT FROM n.{c}"))}};
                END IF;
                IF cardinality(kinds) > 0 THEN
                    PERFORM bump_feed_generations(kinds, keys);
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER articles_feeds_insert AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION bump_article_feeds();
            CREATE TRIGGER articles_feeds_update AFTER UPDATE ON articles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION bump_article_feeds();
            CREATE TRIGGER articles_feeds_delete AFTER DELETE ON articles REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT {{NotBulkImport}} EXECUTE FUNCTION bump_article_feeds();

            -- A section's name and slug are in every feed that holds one of its articles.
            CREATE FUNCTION bump_feed_names() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM bump_feed_generations(ARRAY['names'], ARRAY[{{Zero}}]);
                RETURN NULL;
            END $$;
            CREATE TRIGGER sections_feed_names BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON sections
                FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_names();
            CREATE TRIGGER articles_feed_names BEFORE TRUNCATE ON articles
                FOR EACH STATEMENT EXECUTE FUNCTION bump_feed_names();
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
            DROP TRIGGER articles_feed_names ON articles;
            DROP TRIGGER sections_feed_names ON sections;
            DROP FUNCTION bump_feed_names();
            DROP TRIGGER articles_feeds_delete ON articles;
            DROP TRIGGER articles_feeds_update ON articles;
            DROP TRIGGER articles_feeds_insert ON articles;
            DROP FUNCTION bump_article_feeds();
            DROP FUNCTION article_feed_scopes(uuid, uuid[], uuid[]);
            DROP FUNCTION bump_feed_generations(text[], uuid[]);
            DROP TABLE feed_renderings;
            DROP TABLE feed_generations;
            """);
    }
}
