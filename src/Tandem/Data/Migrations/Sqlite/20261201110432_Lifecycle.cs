using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tandem.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Lifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "change_feed",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    People = table.Column<string>(type: "TEXT", nullable: true),
                    Opportunities = table.Column<string>(type: "TEXT", nullable: true),
                    Tables = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Full = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_feed", x => x.Seq);
                });

            migrationBuilder.CreateTable(
                name: "change_feed_head",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_change_feed_head", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "change_feed_head",
                columns: new[] { "Id", "Seq" },
                values: new object[] { 1, 0L });

            migrationBuilder.CreateIndex(
                name: "IX_change_feed_At",
                table: "change_feed",
                column: "At");

            // People with won deals become Customers, as they would have had Lifecycle existed (decision 0040).
            migrationBuilder.Sql(Tandem.Features.Lifecycle.WonToCustomer.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "change_feed");

            migrationBuilder.DropTable(
                name: "change_feed_head");
        }
    }
}
