using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Tandem.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Handoff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "handoffs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    AssigneeId = table.Column<int>(type: "INTEGER", nullable: true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RuleNote = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    TerritoryId = table.Column<int>(type: "INTEGER", nullable: true),
                    DefinitionId = table.Column<int>(type: "INTEGER", nullable: true),
                    MqlAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstTouchHours = table.Column<double>(type: "REAL", nullable: false),
                    MinAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstTouchDue = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AttemptsDue = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DecideDue = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstTouchAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AttemptCount = table.Column<int>(type: "INTEGER", nullable: false),
                    AttemptsMetAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RejectReason = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    RejectNote = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OpportunityId = table.Column<int>(type: "INTEGER", nullable: true),
                    KnownOpportunity = table.Column<bool>(type: "INTEGER", nullable: false),
                    OwnerToldAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NextDeadline = table.Column<DateTime>(type: "TEXT", nullable: true),
                    BreachedMask = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_handoffs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_handoffs_opportunities_OpportunityId",
                        column: x => x.OpportunityId,
                        principalTable: "opportunities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_handoffs_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_handoffs_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_handoffs_users_AssigneeId",
                        column: x => x.AssigneeId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "reject_reasons",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Recycles = table.Column<bool>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reject_reasons", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "routing_seats",
                columns: table => new
                {
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    IsAway = table.Column<bool>(type: "INTEGER", nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_routing_seats", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_routing_seats_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "territory_rules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Country = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Region = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Industry = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    MinEmployees = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxEmployees = table.Column<int>(type: "INTEGER", nullable: true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_territory_rules", x => x.Id);
                    table.ForeignKey(
                        name: "FK_territory_rules_teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "handoff_attempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HandoffId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_handoff_attempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_handoff_attempts_handoffs_HandoffId",
                        column: x => x.HandoffId,
                        principalTable: "handoffs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "opportunity_influences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OpportunityId = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    HandoffId = table.Column<int>(type: "INTEGER", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_opportunity_influences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_opportunity_influences_handoffs_HandoffId",
                        column: x => x.HandoffId,
                        principalTable: "handoffs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_opportunity_influences_opportunities_OpportunityId",
                        column: x => x.OpportunityId,
                        principalTable: "opportunities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_opportunity_influences_people_PersonId",
                        column: x => x.PersonId,
                        principalTable: "people",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sla_breaches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HandoffId = table.Column<int>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssigneeId = table.Column<int>(type: "INTEGER", nullable: true),
                    NotifiedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EscalatedTo = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sla_breaches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_sla_breaches_handoffs_HandoffId",
                        column: x => x.HandoffId,
                        principalTable: "handoffs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "reject_reasons",
                columns: new[] { "Code", "IsActive", "Label", "Position", "Recycles" },
                values: new object[,]
                {
                    { "bad-contact-data", true, "Bad contact data", 1, false },
                    { "competitor", true, "Competitor", 5, false },
                    { "duplicate", true, "Duplicate", 6, false },
                    { "existing-customer-or-opportunity", true, "Existing customer or known opportunity", 7, false },
                    { "no-budget-or-timing", true, "No budget or timing now", 8, true },
                    { "not-ideal-customer", true, "Not our ideal customer", 3, false },
                    { "out-of-business", true, "Out of business", 2, false },
                    { "student-or-job-seeker", true, "Student or job seeker", 4, false }
                });

            migrationBuilder.CreateIndex(
                name: "IX_handoff_attempts_HandoffId_At",
                table: "handoff_attempts",
                columns: new[] { "HandoffId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_AssignedAt",
                table: "handoffs",
                column: "AssignedAt");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_AssigneeId_State",
                table: "handoffs",
                columns: new[] { "AssigneeId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_NextDeadline",
                table: "handoffs",
                column: "NextDeadline");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_OpportunityId",
                table: "handoffs",
                column: "OpportunityId");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_PersonId_AssignedAt",
                table: "handoffs",
                columns: new[] { "PersonId", "AssignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_TeamId",
                table: "handoffs",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_one_open",
                table: "handoffs",
                column: "PersonId",
                unique: true,
                filter: "\"State\" = 'Open'");

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_influences_HandoffId",
                table: "opportunity_influences",
                column: "HandoffId");

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_influences_OpportunityId_At",
                table: "opportunity_influences",
                columns: new[] { "OpportunityId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_influences_PersonId",
                table: "opportunity_influences",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_sla_breaches_EscalatedAt",
                table: "sla_breaches",
                column: "EscalatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_sla_breaches_HandoffId_Deadline",
                table: "sla_breaches",
                columns: new[] { "HandoffId", "Deadline" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sla_breaches_NotifiedAt",
                table: "sla_breaches",
                column: "NotifiedAt");

            migrationBuilder.CreateIndex(
                name: "IX_territory_rules_Position",
                table: "territory_rules",
                column: "Position");

            migrationBuilder.CreateIndex(
                name: "IX_territory_rules_TeamId",
                table: "territory_rules",
                column: "TeamId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "handoff_attempts");

            migrationBuilder.DropTable(
                name: "opportunity_influences");

            migrationBuilder.DropTable(
                name: "reject_reasons");

            migrationBuilder.DropTable(
                name: "routing_seats");

            migrationBuilder.DropTable(
                name: "sla_breaches");

            migrationBuilder.DropTable(
                name: "territory_rules");

            migrationBuilder.DropTable(
                name: "handoffs");
        }
    }
}
