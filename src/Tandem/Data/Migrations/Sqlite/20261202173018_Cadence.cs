using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Tandem.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Cadence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Attachment",
                table: "email_outbox",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AttachmentName",
                table: "email_outbox",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Ref",
                table: "email_outbox",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "action_items",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    OwnerId = table.Column<int>(type: "INTEGER", nullable: true),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RaisedWeek = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RemindedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_action_items", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "field_notes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    PersonId = table.Column<int>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    OpportunityId = table.Column<int>(type: "INTEGER", nullable: true),
                    AuthorId = table.Column<int>(type: "INTEGER", nullable: true),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Criteria = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Competitor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_field_notes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scorecard_reviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScorecardId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<int>(type: "INTEGER", nullable: false),
                    Side = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scorecard_reviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scorecards",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ActivatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scorecards", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sync_records",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Week = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sync_records", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_email_outbox_Ref",
                table: "email_outbox",
                column: "Ref");

            migrationBuilder.CreateIndex(
                name: "IX_action_items_Status_DueOn",
                table: "action_items",
                columns: new[] { "Status", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_field_notes_At",
                table: "field_notes",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_field_notes_OpportunityId",
                table: "field_notes",
                column: "OpportunityId");

            migrationBuilder.CreateIndex(
                name: "IX_field_notes_PersonId",
                table: "field_notes",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_scorecard_reviews_ScorecardId",
                table: "scorecard_reviews",
                column: "ScorecardId");

            migrationBuilder.CreateIndex(
                name: "IX_scorecards_Number",
                table: "scorecards",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sync_records_Week_Revision",
                table: "sync_records",
                columns: new[] { "Week", "Revision" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "action_items");

            migrationBuilder.DropTable(
                name: "field_notes");

            migrationBuilder.DropTable(
                name: "scorecard_reviews");

            migrationBuilder.DropTable(
                name: "scorecards");

            migrationBuilder.DropTable(
                name: "sync_records");

            migrationBuilder.DropIndex(
                name: "IX_email_outbox_Ref",
                table: "email_outbox");

            migrationBuilder.DropColumn(
                name: "Attachment",
                table: "email_outbox");

            migrationBuilder.DropColumn(
                name: "AttachmentName",
                table: "email_outbox");

            migrationBuilder.DropColumn(
                name: "Ref",
                table: "email_outbox");
        }
    }
}
