using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VehicleCertificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ota_vehicle_ca",
                columns: table => new
                {
                    id = table.Column<int>(type: "int", nullable: false),
                    certificate_pem = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    wrapped_key = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_ca", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_certificate",
                columns: table => new
                {
                    serial_number = table.Column<string>(type: "varchar(40)", maxLength: 40, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    issued_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    not_after = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    revoked_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_certificate", x => x.serial_number);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_certificate_vin",
                table: "ota_vehicle_certificate",
                column: "vin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ota_vehicle_ca");

            migrationBuilder.DropTable(
                name: "ota_vehicle_certificate");
        }
    }
}
