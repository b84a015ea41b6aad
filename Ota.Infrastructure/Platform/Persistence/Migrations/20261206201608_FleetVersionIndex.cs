using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FleetVersionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_series_model_id_firmware_version",
                table: "ota_vehicle",
                columns: new[] { "series_model_id", "firmware_version" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ota_vehicle_series_model_id_firmware_version",
                table: "ota_vehicle");
        }
    }
}
