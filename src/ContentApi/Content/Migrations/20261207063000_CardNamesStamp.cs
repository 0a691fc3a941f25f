using ContentApi.Content;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <summary>
    /// A counter that every write to authors and topics moves on (<see cref="Articles.CardNames"/>): cards
    /// take those names from memory, and a card query reads the counter to know whether its names are current. The
    /// trigger runs before the statement, so a transaction takes the counter's row lock before any row of those tables.
    /// </summary>
    [DbContext(typeof(ContentDb))]
    [Migration("20261207063000_CardNamesStamp")]
    public partial class CardNamesStamp : Migration
    {
        private static readonly string[] Tables = ["authors", "topics"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($"""
            CREATE TABLE card_names_stamp (id int PRIMARY KEY CHECK (id = 1), stamp bigint NOT NULL);
            INSERT INTO card_names_stamp VALUES (1, 1);
            CREATE FUNCTION bump_card_names_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE card_names_stamp SET stamp = stamp + 1;
                RETURN NULL;
            END $$;
            {string.Concat(Tables.Select(table => $"""
                CREATE TRIGGER {table}_card_names BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                    FOR EACH STATEMENT EXECUTE FUNCTION bump_card_names_stamp();

                """))}
            """);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql($"""
            {string.Concat(Tables.Select(table => $"DROP TRIGGER {table}_card_names ON {table};\n"))}
            DROP FUNCTION bump_card_names_stamp();
            DROP TABLE card_names_stamp;
            """);
    }
}
