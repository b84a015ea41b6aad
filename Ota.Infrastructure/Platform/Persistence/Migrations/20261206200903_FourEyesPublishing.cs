using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FourEyesPublishing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "publish_approved_by",
                table: "ota_task",
                type: "varchar(255)",
                maxLength: 255,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTime>(
                name: "publish_requested_at",
                table: "ota_task",
                type: "datetime(3)",
                precision: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "publish_requested_by",
                table: "ota_task",
                type: "varchar(255)",
                maxLength: 255,
                nullable: true,
                collation: "utf8mb4_unicode_ci")
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.AddColumn<DateTime>(
                name: "publish_requested_for",
                table: "ota_task",
                type: "datetime(3)",
                precision: 3,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "publish_approved_by",
                table: "ota_task");

            migrationBuilder.DropColumn(
                name: "publish_requested_at",
                table: "ota_task");

            migrationBuilder.DropColumn(
                name: "publish_requested_by",
                table: "ota_task");

            migrationBuilder.DropColumn(
                name: "publish_requested_for",
                table: "ota_task");
        }
    }
}
