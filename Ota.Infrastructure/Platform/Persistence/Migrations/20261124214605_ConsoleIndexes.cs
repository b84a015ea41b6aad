using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConsoleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "vin",
                table: "ota_document",
                type: "varchar(17)",
                maxLength: 17,
                nullable: true,
                computedColumnSql: "json_unquote(json_value(`json`, '$.vin'))",
                stored: false,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_latest_status_task_id_state_error_type",
                table: "ota_vehicle_latest_status",
                columns: new[] { "task_id", "state", "error_type" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_notice_sent_at",
                table: "ota_vehicle_download_notice",
                column: "sent_at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_document_vin_created_at",
                table: "ota_document",
                columns: new[] { "vin", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ota_vehicle_latest_status_task_id_state_error_type",
                table: "ota_vehicle_latest_status");

            migrationBuilder.DropIndex(
                name: "IX_ota_vehicle_download_notice_sent_at",
                table: "ota_vehicle_download_notice");

            migrationBuilder.DropIndex(
                name: "IX_ota_document_vin_created_at",
                table: "ota_document");

            migrationBuilder.DropColumn(
                name: "vin",
                table: "ota_document");
        }
    }
}
