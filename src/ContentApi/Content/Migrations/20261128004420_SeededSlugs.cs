using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContentApi.Content.Migrations
{
    /// <inheritdoc />
    public partial class SeededSlugs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "seeded_slugs",
                columns: table => new
                {
                    resource_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    slug = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    seeded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_seeded_slugs", x => new { x.resource_type, x.slug });
                });

            // A database seeded before this table existed: whatever the change feed saw created counts as seeded, so
            // the first start after the upgrade does not bring back what an editor deleted.
            migrationBuilder.Sql("""
                INSERT INTO seeded_slugs (resource_type, slug, seeded_at)
                SELECT resource_type, slug, min(at) FROM content_changes GROUP BY resource_type, slug
                ON CONFLICT DO NOTHING;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "seeded_slugs");
        }
    }
}
