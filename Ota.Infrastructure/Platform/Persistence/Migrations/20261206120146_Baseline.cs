using System;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Ota.Infrastructure.Platform.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Baseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("MySql:CharSet", "utf8mb4");

            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Name = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    NormalizedName = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ConcurrencyStamp = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    UserName = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    NormalizedUserName = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Email = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    NormalizedEmail = table.Column<string>(type: "varchar(256)", maxLength: 256, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    EmailConfirmed = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    PasswordHash = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    SecurityStamp = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ConcurrencyStamp = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PhoneNumber = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    PhoneNumberConfirmed = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "datetime(6)", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "int", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_api_key",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    key_hash = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    prefix = table.Column<string>(type: "varchar(16)", maxLength: 16, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    revoked_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    last_used_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_api_key", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    user = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    action = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    entity = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    entity_id = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    before = table.Column<string>(type: "mediumtext", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    after = table.Column<string>(type: "mediumtext", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_audit_log", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_base_ecu",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_base_ecu", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_document",
                columns: table => new
                {
                    collection = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    json = table.Column<string>(type: "json", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    vin = table.Column<string>(type: "varchar(17)", maxLength: 17, nullable: true, computedColumnSql: "json_unquote(json_value(`json`, '$.vin'))", stored: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_document", x => new { x.collection, x.id });
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_notification",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    channel = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    title = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    text = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: true, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    delivery_status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    attempts = table.Column<int>(type: "int", nullable: false),
                    last_error = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    delivered_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    is_read = table.Column<bool>(type: "tinyint(1)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_notification", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_series_model",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    series = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    model = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    platform = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_series_model", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_upgrade_strategy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    name = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    package_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    version_compare = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_mode = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    updated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_upgrade_strategy", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

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
                name: "ota_vehicle_blacklist",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    reason = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    is_delete = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    deleted_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_blacklist", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_download_notice",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    package_id = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    kind = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    resend_count = table.Column<int>(type: "int", nullable: false),
                    sent_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_download_notice", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_download_progress",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    package_id = table.Column<long>(type: "bigint", nullable: true),
                    ecu_code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    bytes_downloaded = table.Column<long>(type: "bigint", nullable: false),
                    total_bytes = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    occurred_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_download_progress", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_eeprom_clear",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    ecu_code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    result = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    data = table.Column<byte[]>(type: "mediumblob", nullable: false),
                    sha256 = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    occurred_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_eeprom_clear", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_event_receipt",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_event_receipt", x => x.event_id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_latest_status",
                columns: table => new
                {
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    status_id = table.Column<long>(type: "bigint", nullable: false),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    state = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    trigger_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    error_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    reported_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_latest_status", x => x.vin);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_upgrade_command",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    command = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    scheduled_for = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    occurred_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_upgrade_command", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_upgrade_progress",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    ecu_code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    step = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    percent = table.Column<int>(type: "int", nullable: false),
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    occurred_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_upgrade_progress", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_upgrade_status",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    state = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    trigger_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    error_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    inner_error_code = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    event_id = table.Column<string>(type: "varchar(36)", maxLength: 36, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    occurred_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    received_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_upgrade_status", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle_whitelist",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    reason = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    is_delete = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    deleted_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle_whitelist", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_work_order",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    task_id = table.Column<long>(type: "bigint", nullable: true),
                    error_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    inner_error_code = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    title = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_work_order", x => x.id);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    RoleId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ClaimType = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ClaimValue = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    UserId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ClaimType = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ClaimValue = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ProviderKey = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ProviderDisplayName = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    UserId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    RoleId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    LoginProvider = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    Value = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_ecu_delta",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    key = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    from_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    kind = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    file_name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    file_size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    url = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_ecu_delta", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_delta_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_ecu_full",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    key = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    kind = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    file_name = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    file_size = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    url = table.Column<string>(type: "varchar(1024)", maxLength: 1024, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_ecu_full", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_full_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_baseline",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    is_formal = table.Column<bool>(type: "tinyint(1)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_baseline", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_baseline_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_total_delta",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    from_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    encrypted = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    wrapped_key = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_prompt = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_result = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_total_delta", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_total_delta_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_total_full",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    encrypted = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    wrapped_key = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_prompt = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_result = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_total_full", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_total_full_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_task",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    name = table.Column<string>(type: "varchar(200)", maxLength: 200, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    source = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    target_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    generation = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    package_id = table.Column<long>(type: "bigint", nullable: true),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    priority = table.Column<int>(type: "int", nullable: false),
                    scheduled_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    extension_info = table.Column<string>(type: "json", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_by = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    updated_by = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    updated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    published_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    executed_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    cancelled_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_task", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_task_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_vehicle",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    platform = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    lifecycle_status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    usage = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    sold = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    activated = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    passenger_car = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    firmware_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    config_word = table.Column<string>(type: "varchar(255)", maxLength: 255, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    secret = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    updated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_vehicle", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_vehicle_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_upgrade_strategy_ecu_relation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    strategy_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    upgrade_order = table.Column<int>(type: "int", nullable: true),
                    is_upgrade = table.Column<bool>(type: "tinyint(1)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_upgrade_strategy_ecu_relation", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_upgrade_strategy_ecu_relation_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_upgrade_strategy_ecu_relation_ota_upgrade_strategy_strat~",
                        column: x => x.strategy_id,
                        principalTable: "ota_upgrade_strategy",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_upgrade_strategy_veh_relation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    strategy_id = table.Column<long>(type: "bigint", nullable: false),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    is_default = table.Column<bool>(type: "tinyint(1)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_upgrade_strategy_veh_relation", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_upgrade_strategy_veh_relation_ota_series_model_series_mo~",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_upgrade_strategy_veh_relation_ota_upgrade_strategy_strat~",
                        column: x => x.strategy_id,
                        principalTable: "ota_upgrade_strategy",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_upgrade_strategy_vin_relation",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    strategy_id = table.Column<long>(type: "bigint", nullable: false),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_upgrade_strategy_vin_relation", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_upgrade_strategy_vin_relation_ota_upgrade_strategy_strat~",
                        column: x => x.strategy_id,
                        principalTable: "ota_upgrade_strategy",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

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

            migrationBuilder.CreateTable(
                name: "ota_baseline_description",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    baseline_id = table.Column<long>(type: "bigint", nullable: false),
                    description = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_baseline_description", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_baseline_description_ota_baseline_baseline_id",
                        column: x => x.baseline_id,
                        principalTable: "ota_baseline",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    package_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    from_version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    baseline_id = table.Column<long>(type: "bigint", nullable: true),
                    series_model_id = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    status = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    encrypted = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    wrapped_key = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_prompt = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    upgrade_result = table.Column<string>(type: "text", maxLength: 255, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_ota_baseline_baseline_id",
                        column: x => x.baseline_id,
                        principalTable: "ota_baseline",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_ota_series_model_series_model_id",
                        column: x => x.series_model_id,
                        principalTable: "ota_series_model",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_total_delta_ecu",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    package_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_delta_package_id = table.Column<long>(type: "bigint", nullable: true),
                    ecu_full_package_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_total_delta_ecu", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_total_delta_ecu_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_total_delta_ecu_ota_package_ecu_delta_ecu_delta_~",
                        column: x => x.ecu_delta_package_id,
                        principalTable: "ota_package_ecu_delta",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_total_delta_ecu_ota_package_ecu_full_ecu_full_pa~",
                        column: x => x.ecu_full_package_id,
                        principalTable: "ota_package_ecu_full",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_total_delta_ecu_ota_package_total_delta_package_~",
                        column: x => x.package_id,
                        principalTable: "ota_package_total_delta",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_package_total_full_ecu",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    package_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_full_package_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_total_full_ecu", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_total_full_ecu_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_total_full_ecu_ota_package_ecu_full_ecu_full_pac~",
                        column: x => x.ecu_full_package_id,
                        principalTable: "ota_package_ecu_full",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_total_full_ecu_ota_package_total_full_package_id",
                        column: x => x.package_id,
                        principalTable: "ota_package_total_full",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                })
                .Annotation("MySql:CharSet", "utf8mb4")
                .Annotation("Relational:Collation", "utf8mb4_unicode_ci");

            migrationBuilder.CreateTable(
                name: "ota_task_vin",
                columns: table => new
                {
                    task_id = table.Column<long>(type: "bigint", nullable: false),
                    vin = table.Column<string>(type: "char(17)", fixedLength: true, maxLength: 17, nullable: false, collation: "ascii_bin")
                        .Annotation("MySql:CharSet", "ascii"),
                    state = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: false, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    verdict_codes = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    is_resend = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    resend_count = table.Column<int>(type: "int", nullable: false),
                    message_id = table.Column<string>(type: "varchar(64)", maxLength: 64, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    notified_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    claimed_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    lease_until = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    is_delete = table.Column<bool>(type: "tinyint(1)", nullable: false),
                    superseded_by_task_id = table.Column<long>(type: "bigint", nullable: true),
                    error_type = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    close_reason = table.Column<string>(type: "varchar(512)", maxLength: 512, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    cancel_notice = table.Column<string>(type: "varchar(32)", maxLength: 32, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4"),
                    created_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: false),
                    updated_at = table.Column<DateTime>(type: "datetime(3)", precision: 3, nullable: true),
                    updated_by = table.Column<string>(type: "varchar(128)", maxLength: 128, nullable: true, collation: "utf8mb4_unicode_ci")
                        .Annotation("MySql:CharSet", "utf8mb4")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_task_vin", x => new { x.task_id, x.vin });
                    table.ForeignKey(
                        name: "FK_ota_task_vin_ota_task_task_id",
                        column: x => x.task_id,
                        principalTable: "ota_task",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "ota_package_ecu",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("MySql:ValueGenerationStrategy", MySqlValueGenerationStrategy.IdentityColumn),
                    package_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_id = table.Column<long>(type: "bigint", nullable: false),
                    ecu_delta_package_id = table.Column<long>(type: "bigint", nullable: true),
                    ecu_full_package_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ota_package_ecu", x => x.id);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_ota_base_ecu_ecu_id",
                        column: x => x.ecu_id,
                        principalTable: "ota_base_ecu",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_ota_package_ecu_delta_ecu_delta_package_id",
                        column: x => x.ecu_delta_package_id,
                        principalTable: "ota_package_ecu_delta",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_ota_package_ecu_full_ecu_full_package_id",
                        column: x => x.ecu_full_package_id,
                        principalTable: "ota_package_ecu_full",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ota_package_ecu_ota_package_package_id",
                        column: x => x.package_id,
                        principalTable: "ota_package",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_api_key_key_hash",
                table: "ota_api_key",
                column: "key_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_api_key_name",
                table: "ota_api_key",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_audit_log_at",
                table: "ota_audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_base_ecu_code",
                table: "ota_base_ecu",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_baseline_series_model_id_version",
                table: "ota_baseline",
                columns: new[] { "series_model_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_baseline_description_baseline_id",
                table: "ota_baseline_description",
                column: "baseline_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_document_vin_created_at",
                table: "ota_document",
                columns: new[] { "vin", "created_at" });

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

            migrationBuilder.CreateIndex(
                name: "IX_ota_notification_channel_created_at",
                table: "ota_notification",
                columns: new[] { "channel", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_notification_created_at",
                table: "ota_notification",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_notification_delivery_status_created_at",
                table: "ota_notification",
                columns: new[] { "delivery_status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_notification_vin",
                table: "ota_notification",
                column: "vin");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_baseline_id",
                table: "ota_package",
                column: "baseline_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_series_model_id_version_package_type_from_version",
                table: "ota_package",
                columns: new[] { "series_model_id", "version", "package_type", "from_version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_ecu_delta_package_id",
                table: "ota_package_ecu",
                column: "ecu_delta_package_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_ecu_full_package_id",
                table: "ota_package_ecu",
                column: "ecu_full_package_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_ecu_id",
                table: "ota_package_ecu",
                column: "ecu_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_package_id_ecu_id",
                table: "ota_package_ecu",
                columns: new[] { "package_id", "ecu_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_delta_ecu_id_from_version_version",
                table: "ota_package_ecu_delta",
                columns: new[] { "ecu_id", "from_version", "version" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_delta_key",
                table: "ota_package_ecu_delta",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_full_ecu_id_version",
                table: "ota_package_ecu_full",
                columns: new[] { "ecu_id", "version" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_ecu_full_key",
                table: "ota_package_ecu_full",
                column: "key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_delta_series_model_id_from_version_version",
                table: "ota_package_total_delta",
                columns: new[] { "series_model_id", "from_version", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_delta_ecu_ecu_delta_package_id",
                table: "ota_package_total_delta_ecu",
                column: "ecu_delta_package_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_delta_ecu_ecu_full_package_id",
                table: "ota_package_total_delta_ecu",
                column: "ecu_full_package_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_delta_ecu_ecu_id",
                table: "ota_package_total_delta_ecu",
                column: "ecu_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_delta_ecu_package_id_ecu_id",
                table: "ota_package_total_delta_ecu",
                columns: new[] { "package_id", "ecu_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_full_series_model_id_version",
                table: "ota_package_total_full",
                columns: new[] { "series_model_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_full_ecu_ecu_full_package_id",
                table: "ota_package_total_full_ecu",
                column: "ecu_full_package_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_full_ecu_ecu_id",
                table: "ota_package_total_full_ecu",
                column: "ecu_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_package_total_full_ecu_package_id_ecu_id",
                table: "ota_package_total_full_ecu",
                columns: new[] { "package_id", "ecu_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_series_model_code",
                table: "ota_series_model",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_created_at",
                table: "ota_task",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_series_model_id",
                table: "ota_task",
                column: "series_model_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_status_priority_scheduled_at",
                table: "ota_task",
                columns: new[] { "status", "priority", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_cancel_notice",
                table: "ota_task_vin",
                column: "cancel_notice");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_is_resend",
                table: "ota_task_vin",
                column: "is_resend");

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_task_id_state",
                table: "ota_task_vin",
                columns: new[] { "task_id", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_task_vin_vin",
                table: "ota_task_vin",
                column: "vin");

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_name",
                table: "ota_upgrade_strategy",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_ecu_relation_ecu_id",
                table: "ota_upgrade_strategy_ecu_relation",
                column: "ecu_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_ecu_relation_strategy_id_ecu_id",
                table: "ota_upgrade_strategy_ecu_relation",
                columns: new[] { "strategy_id", "ecu_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_ecu_relation_strategy_id_upgrade_order",
                table: "ota_upgrade_strategy_ecu_relation",
                columns: new[] { "strategy_id", "upgrade_order" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_veh_relation_series_model_id_is_default",
                table: "ota_upgrade_strategy_veh_relation",
                columns: new[] { "series_model_id", "is_default" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_veh_relation_strategy_id_series_model_id",
                table: "ota_upgrade_strategy_veh_relation",
                columns: new[] { "strategy_id", "series_model_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_vin_relation_strategy_id",
                table: "ota_upgrade_strategy_vin_relation",
                column: "strategy_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_upgrade_strategy_vin_relation_vin_created_at",
                table: "ota_upgrade_strategy_vin_relation",
                columns: new[] { "vin", "created_at" });

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

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_series_model_id",
                table: "ota_vehicle",
                column: "series_model_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_vin",
                table: "ota_vehicle",
                column: "vin",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_blacklist_vin_is_delete",
                table: "ota_vehicle_blacklist",
                columns: new[] { "vin", "is_delete" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_notice_message_id",
                table: "ota_vehicle_download_notice",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_notice_sent_at",
                table: "ota_vehicle_download_notice",
                column: "sent_at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_notice_task_id_vin",
                table: "ota_vehicle_download_notice",
                columns: new[] { "task_id", "vin" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_notice_vin_sent_at",
                table: "ota_vehicle_download_notice",
                columns: new[] { "vin", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_progress_event_id",
                table: "ota_vehicle_download_progress",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_download_progress_vin_occurred_at",
                table: "ota_vehicle_download_progress",
                columns: new[] { "vin", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_eeprom_clear_event_id",
                table: "ota_vehicle_eeprom_clear",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_eeprom_clear_vin_occurred_at",
                table: "ota_vehicle_eeprom_clear",
                columns: new[] { "vin", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_latest_status_task_id_state_error_type",
                table: "ota_vehicle_latest_status",
                columns: new[] { "task_id", "state", "error_type" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_command_event_id",
                table: "ota_vehicle_upgrade_command",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_command_vin_occurred_at",
                table: "ota_vehicle_upgrade_command",
                columns: new[] { "vin", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_progress_event_id",
                table: "ota_vehicle_upgrade_progress",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_progress_vin_occurred_at",
                table: "ota_vehicle_upgrade_progress",
                columns: new[] { "vin", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_status_event_id",
                table: "ota_vehicle_upgrade_status",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_status_task_id_state",
                table: "ota_vehicle_upgrade_status",
                columns: new[] { "task_id", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_upgrade_status_vin_occurred_at",
                table: "ota_vehicle_upgrade_status",
                columns: new[] { "vin", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_vehicle_whitelist_vin_type_is_delete",
                table: "ota_vehicle_whitelist",
                columns: new[] { "vin", "type", "is_delete" });

            migrationBuilder.CreateIndex(
                name: "IX_ota_work_order_created_at",
                table: "ota_work_order",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_ota_work_order_vin",
                table: "ota_work_order",
                column: "vin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "ota_api_key");

            migrationBuilder.DropTable(
                name: "ota_audit_log");

            migrationBuilder.DropTable(
                name: "ota_baseline_description");

            migrationBuilder.DropTable(
                name: "ota_document");

            migrationBuilder.DropTable(
                name: "ota_follow_up");

            migrationBuilder.DropTable(
                name: "ota_package_ecu");

            migrationBuilder.DropTable(
                name: "ota_package_total_delta_ecu");

            migrationBuilder.DropTable(
                name: "ota_package_total_full_ecu");

            migrationBuilder.DropTable(
                name: "ota_task_vin");

            migrationBuilder.DropTable(
                name: "ota_upgrade_strategy_ecu_relation");

            migrationBuilder.DropTable(
                name: "ota_upgrade_strategy_veh_relation");

            migrationBuilder.DropTable(
                name: "ota_upgrade_strategy_vin_relation");

            migrationBuilder.DropTable(
                name: "ota_validation_chunk");

            migrationBuilder.DropTable(
                name: "ota_validation_rejection");

            migrationBuilder.DropTable(
                name: "ota_validation_vin");

            migrationBuilder.DropTable(
                name: "ota_vehicle");

            migrationBuilder.DropTable(
                name: "ota_vehicle_blacklist");

            migrationBuilder.DropTable(
                name: "ota_vehicle_download_notice");

            migrationBuilder.DropTable(
                name: "ota_vehicle_download_progress");

            migrationBuilder.DropTable(
                name: "ota_vehicle_eeprom_clear");

            migrationBuilder.DropTable(
                name: "ota_vehicle_event_receipt");

            migrationBuilder.DropTable(
                name: "ota_vehicle_latest_status");

            migrationBuilder.DropTable(
                name: "ota_vehicle_upgrade_command");

            migrationBuilder.DropTable(
                name: "ota_vehicle_upgrade_progress");

            migrationBuilder.DropTable(
                name: "ota_vehicle_upgrade_status");

            migrationBuilder.DropTable(
                name: "ota_vehicle_whitelist");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "ota_notification");

            migrationBuilder.DropTable(
                name: "ota_work_order");

            migrationBuilder.DropTable(
                name: "ota_package");

            migrationBuilder.DropTable(
                name: "ota_package_ecu_delta");

            migrationBuilder.DropTable(
                name: "ota_package_total_delta");

            migrationBuilder.DropTable(
                name: "ota_package_ecu_full");

            migrationBuilder.DropTable(
                name: "ota_package_total_full");

            migrationBuilder.DropTable(
                name: "ota_upgrade_strategy");

            migrationBuilder.DropTable(
                name: "ota_validation_run");

            migrationBuilder.DropTable(
                name: "ota_baseline");

            migrationBuilder.DropTable(
                name: "ota_base_ecu");

            migrationBuilder.DropTable(
                name: "ota_task");

            migrationBuilder.DropTable(
                name: "ota_series_model");
        }
    }
}
