using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Tandem.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Channels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "channels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_channels", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "channels",
                columns: new[] { "Id", "Group", "Key", "Label", "UpdatedAt", "Version" },
                values: new object[,]
                {
                    { 1, "Paid", "PaidSearch", "Paid search", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 2, "Inbound", "Organic", "Organic search", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 3, "Inbound", "Social", "Social", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 4, "Programs", "Email", "Email", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 5, "Programs", "Webinar", "Webinar", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 6, "Programs", "Event", "Event", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 7, "Inbound", "Content", "Content", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 8, "Partners", "Referral", "Referral", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 9, "Partners", "Partner", "Partner", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 10, "Sales", "Outbound", "Outbound (sales)", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 11, "Other", "Other", "Other", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 12, "Other", "Unknown", "Unknown", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 13, "Inbound", "Direct", "Direct", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 },
                    { 14, "Paid", "Display", "Display", new DateTime(2026, 12, 3, 0, 0, 0, 0, DateTimeKind.Utc), 1 }
                });

            migrationBuilder.CreateIndex(
                name: "IX_channels_Key",
                table: "channels",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channels");
        }
    }
}
