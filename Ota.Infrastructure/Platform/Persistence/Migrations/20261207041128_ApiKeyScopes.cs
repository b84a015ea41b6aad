using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Keys made before scopes existed keep what they could do: every scope (SPEC §16). Written out, not read
            // from ApiScopes, so the migration says the same whatever the scopes become later.
            migrationBuilder.AddColumn<string>(
                name: "scopes",
                table: "ota_api_key",
                type: "varchar(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "tasks:read tasks:write catalog:write vehicles:read",
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "scopes",
                table: "ota_api_key");
        }
    }
}
