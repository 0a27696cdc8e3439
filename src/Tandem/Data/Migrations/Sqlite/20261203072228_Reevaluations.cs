using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tandem.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reevaluations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "reevaluations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DefinitionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    LastPersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    Qualified = table.Column<int>(type: "INTEGER", nullable: false),
                    Predicted = table.Column<int>(type: "INTEGER", nullable: true),
                    PreviousDefinitionId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StoppedBecause = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reevaluations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_reevaluations_lead_definitions_DefinitionId",
                        column: x => x.DefinitionId,
                        principalTable: "lead_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_reevaluations_lead_definitions_PreviousDefinitionId",
                        column: x => x.PreviousDefinitionId,
                        principalTable: "lead_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_reevaluations_DefinitionId",
                table: "reevaluations",
                column: "DefinitionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_reevaluations_PreviousDefinitionId",
                table: "reevaluations",
                column: "PreviousDefinitionId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reevaluations");
        }
    }
}
