using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Tandem.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<int>(type: "integer", nullable: false),
                    AssigneeId = table.Column<int>(type: "integer", nullable: true),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    Rule = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RuleNote = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    TerritoryId = table.Column<int>(type: "integer", nullable: true),
                    DefinitionId = table.Column<int>(type: "integer", nullable: true),
                    MqlAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstTouchHours = table.Column<double>(type: "double precision", nullable: false),
                    MinAttempts = table.Column<int>(type: "integer", nullable: false),
                    FirstTouchDue = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AttemptsDue = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    DecideDue = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FirstTouchAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AttemptCount = table.Column<int>(type: "integer", nullable: false),
                    AttemptsMetAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecidedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RejectReason = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    RejectNote = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    OpportunityId = table.Column<int>(type: "integer", nullable: true),
                    KnownOpportunity = table.Column<bool>(type: "boolean", nullable: false),
                    OwnerToldAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    NextDeadline = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    BreachedMask = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
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
                    Code = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Recycles = table.Column<bool>(type: "boolean", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reject_reasons", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "routing_seats",
                columns: table => new
                {
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    IsAway = table.Column<bool>(type: "boolean", nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: true),
                    LastAssignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Country = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Region = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Industry = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    MinEmployees = table.Column<int>(type: "integer", nullable: true),
                    MaxEmployees = table.Column<int>(type: "integer", nullable: true),
                    TeamId = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HandoffId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Actor = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OpportunityId = table.Column<int>(type: "integer", nullable: false),
                    PersonId = table.Column<int>(type: "integer", nullable: false),
                    HandoffId = table.Column<int>(type: "integer", nullable: true),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HandoffId = table.Column<int>(type: "integer", nullable: false),
                    Deadline = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AssigneeId = table.Column<int>(type: "integer", nullable: true),
                    NotifiedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EscalatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EscalatedTo = table.Column<int>(type: "integer", nullable: true)
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
