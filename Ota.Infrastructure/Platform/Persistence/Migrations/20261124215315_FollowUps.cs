using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FollowUps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ota_follow_up",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    status_id = table.Column<long>(type: "bigint", nullable: false),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    step = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    state = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    detail = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    payload = table.Column<string>(type: "json", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    notification_id = table.Column<long>(type: "bigint", nullable: true),
                    work_order_id = table.Column<long>(type: "bigint", nullable: true),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    last_error = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    next_attempt_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    claimed_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    lease_until = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    done_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_follow_up", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_follow_up_ota_notification_notification_id",
                        column: x => x.notification_id,
                        principalTable: "ota_notification",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ota_follow_up_ota_work_order_work_order_id",
                        column: x => x.work_order_id,
                        principalTable: "ota_work_order",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "IX_ota_follow_up_notification_id",
                table: "ota_follow_up",
                column: "notification_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_follow_up_state_step_next_attempt_at",
                table: "ota_follow_up",
                columns: new[] { "state", "step", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_follow_up_status_id",
                table: "ota_follow_up",
                column: "status_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_follow_up_vin_created_at",
                table: "ota_follow_up",
                columns: new[] { "vin", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_follow_up_work_order_id",
                table: "ota_follow_up",
                column: "work_order_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_follow_up");
        }
    }
}
