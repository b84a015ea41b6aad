using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PushAndCancelNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "cancel_notice",
                table: "ota_task_vin",
                type: "varchar(32)",
                maxLength: 32,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<string>(
                name: "updated_by",
                table: "ota_task_vin",
                type: "varchar(128)",
                maxLength: 128,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_cancel_notice",
                table: "ota_task_vin",
                column: "cancel_notice");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ota_task_vin_cancel_notice",
                table: "ota_task_vin");

            migrationBuilder.DropColumn(
                name: "cancel_notice",
                table: "ota_task_vin");

            migrationBuilder.DropColumn(
                name: "updated_by",
                table: "ota_task_vin");
        }
    }
}
