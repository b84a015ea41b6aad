using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Validation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ota_validation_rejection",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    entry = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: true, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    codes = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_validation_rejection", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_validation_run",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    mode = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    task_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    source = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    target_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    total_entries = table.Column<int>(type: "int", nullable: false),
                    distinct_vins = table.Column<int>(type: "int", nullable: false),
                    malformed = table.Column<int>(type: "int", nullable: false),
                    duplicates = table.Column<int>(type: "int", nullable: false),
                    chunk_size = table.Column<int>(type: "int", nullable: false),
                    chunk_count = table.Column<int>(type: "int", nullable: false),
                    task_codes = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    task_details = table.Column<string>(type: "text", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    error = table.Column<string>(type: "text", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    source_file = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    source_name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    publish_when_done = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    task_name = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    task_priority = table.Column<int>(type: "int", nullable: false),
                    task_scheduled_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    created_by = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    finished_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_validation_run", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_validation_run_ota_task_task_id",
                        column: x => x.task_id,
                        principalTable: "ota_task",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_validation_vin",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    chunk = table.Column<int>(type: "int", nullable: false),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_validation_vin", x => new { x.run_id, x.chunk, x.vin });
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_validation_chunk",
                columns: table => new
                {
                    run_id = table.Column<long>(type: "bigint", nullable: false),
                    chunk = table.Column<int>(type: "int", nullable: false),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vins = table.Column<int>(type: "int", nullable: false),
                    accepted = table.Column<int>(type: "int", nullable: false),
                    reason_counts = table.Column<string>(type: "text", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    claimed_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    lease_until = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    finished_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_validation_chunk", x => new { x.run_id, x.chunk });
                    table.ForeignKey(
                        name: "FK_ota_validation_chunk_ota_validation_run_run_id",
                        column: x => x.run_id,
                        principalTable: "ota_validation_run",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "IX_ota_validation_chunk_status_lease_until",
                table: "ota_validation_chunk",
                columns: new[] { "status", "lease_until" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_validation_rejection_run_id_id",
                table: "ota_validation_rejection",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_validation_run_status_created_at",
                table: "ota_validation_run",
                columns: new[] { "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_validation_run_task_id",
                table: "ota_validation_run",
                column: "task_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_validation_chunk");

            migrationBuilder.DropTable(
                name: "ota_validation_rejection");

            migrationBuilder.DropTable(
                name: "ota_validation_vin");

            migrationBuilder.DropTable(
                name: "ota_validation_run");
        }
    }
}
