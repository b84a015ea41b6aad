using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DdiTargets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "update_client",
                table: "ota_vehicle",
                type: "varchar(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "Native",
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "ota_ddi_target",
                columns: table => new
                {
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    token_hash = table.Column<string>(type: "char(64)", fixedLength: true, maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    token_issued_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    config_data = table.Column<string>(type: "text", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    config_data_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    closed_task_id = table.Column<long>(type: "bigint", nullable: true),
                    closed_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    downloaded_task_id = table.Column<long>(type: "bigint", nullable: true),
                    downloaded_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    updated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_ddi_target", x => x.vin);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_ddi_target");

            migrationBuilder.DropColumn(
                name: "update_client",
                table: "ota_vehicle");
        }
    }
}
