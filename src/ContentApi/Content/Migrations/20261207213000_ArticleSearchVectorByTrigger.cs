using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <summary>
    /// An article's search vector is worked out by a row trigger instead of a generated column. Two things need it:
    /// - The synthetic import may write vectors it worked out itself (SyntheticArticles): computing them was two thirds
    ///   of PostgreSQL's work in an import. A generated column refuses any value written to it; the trigger keeps one
    ///   written with contentapi.bulk_import on, and the import checks a sample of its vectors against this function.
    /// - A generated column is computed again on every update of the row, whatever changed: publishing an article
    ///   writes its row several times (the listing and link-id triggers), 1.1 ms of to_tsvector each. The trigger
    ///   computes the vector only when the title, dek, excerpt or body text changed.
    /// The vectors already stored stay as they are: the expression is the generated column's.
    /// </summary>
    [DbContext(typeof(ContentDb))]
    [Migration("20261207213000_ArticleSearchVectorByTrigger")]
    public partial class ArticleSearchVectorByTrigger : Migration
    {
        private static readonly (string Column, char Weight)[] Parts = [("title", 'A'), ("dek", 'B'), ("excerpt", 'C'), ("body_text", 'D')];

        private static string Vector(string row) => string.Join(" || ",
            Parts.Select(p => $"setweight(to_tsvector('english'::regconfig, coalesce({row}{p.Column}, '')), '{p.Weight}')"));

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($$"""
            ALTER TABLE articles ALTER COLUMN search_vector DROP EXPRESSION;
            CREATE OR REPLACE FUNCTION articles_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' AND NEW.search_vector IS NOT NULL
                   AND current_setting('contentapi.bulk_import', true) = 'on' THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'UPDATE' AND {{string.Join(" AND ", Parts.Select(p => $"NEW.{p.Column} IS NOT DISTINCT FROM OLD.{p.Column}"))}} THEN
                    NEW.search_vector := OLD.search_vector; -- nobody else writes it
                    RETURN NEW;
                END IF;
                NEW.search_vector := {{Vector("NEW.")}};
                RETURN NEW;
            END $$;
            CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE ON articles
                FOR EACH ROW EXECUTE FUNCTION articles_search_vector();
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($"""
            DROP TRIGGER articles_search_vector ON articles;
            DROP FUNCTION articles_search_vector();
            ALTER TABLE articles DROP COLUMN search_vector;
            ALTER TABLE articles ADD COLUMN search_vector tsvector NOT NULL GENERATED ALWAYS AS ({Vector("")}) STORED;
            ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN;
            ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS 1000;
            CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector);
            """);
    }
}
