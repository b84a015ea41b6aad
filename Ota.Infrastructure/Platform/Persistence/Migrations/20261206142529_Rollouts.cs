using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Rollouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ota_task_vin_task_id_state",
                table: "ota_task_vin");

            migrationBuilder.AddColumn<string>(
                name: "task_rollout",
                table: "ota_validation_run",
                type: "json",
                maxLength: 255,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<byte>(
                name: "rollout_group",
                table: "ota_task_vin",
                type: "tinyint unsigned",
                nullable: false,
                defaultValue: (byte)0);

            migrationBuilder.CreateTable(
                name: "ota_task_rollout",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    plan = table.Column<string>(type: "json", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    opened_groups = table.Column<int>(type: "int", nullable: false),
                    notices_per_minute = table.Column<int>(type: "int", nullable: true),
                    pause_code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    pause_group = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    pause_detail = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    paused_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    paused_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    evaluated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_task_rollout", x => x.task_id);
                    table.ForeignKey(
                        name: "FK_ota_task_rollout_ota_task_task_id",
                        column: x => x.task_id,
                        principalTable: "ota_task",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_task_rollout_group",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    group_index = table.Column<int>(type: "int", nullable: false),
                    name = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    size = table.Column<int>(type: "int", nullable: false),
                    opened_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    reached_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    approved_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    approved_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    failed_at_resume = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_task_rollout_group", x => new { x.task_id, x.group_index });
                    table.ForeignKey(
                        name: "FK_ota_task_rollout_group_ota_task_rollout_task_id",
                        column: x => x.task_id,
                        principalTable: "ota_task_rollout",
                        principalColumn: "task_id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_task_id_state_rollout_group",
                table: "ota_task_vin",
                columns: new[] { "task_id", "state", "rollout_group" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_task_rollout_group");

            migrationBuilder.DropTable(
                name: "ota_task_rollout");

            migrationBuilder.DropIndex(
                name: "IX_ota_task_vin_task_id_state_rollout_group",
                table: "ota_task_vin");

            migrationBuilder.DropColumn(
                name: "task_rollout",
                table: "ota_validation_run");

            migrationBuilder.DropColumn(
                name: "rollout_group",
                table: "ota_task_vin");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_task_id_state",
                table: "ota_task_vin",
                columns: new[] { "task_id", "state" });
        }
    }
}
