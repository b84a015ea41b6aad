using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TaskActivityMinute : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ota_task_activity_minute",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    minute = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    notices = table.Column<int>(type: "int", nullable: false),
                    succeeded = table.Column<int>(type: "int", nullable: false),
                    failed = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_task_activity_minute", x => new { x.task_id, x.minute });
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_activity_minute_minute",
                table: "ota_task_activity_minute",
                column: "minute");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_task_activity_minute");
        }
    }
}
