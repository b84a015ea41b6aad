using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyAllowsDiagnostic : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "allows_diagnostic",
                table: "ota_api_key",
                type: "tinyint(1)",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "allows_diagnostic",
                table: "ota_api_key");
        }
    }
}
