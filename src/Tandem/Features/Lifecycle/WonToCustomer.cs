namespace Tandem.Features.Lifecycle;

/// <summary>
/// The data migration that came with Lifecycle: before it, a won deal did not move its primary contact to Customer, so
/// a CRM import showed thousands of won deals and no Customers. Each such person gets the Customer move they missed,
/// dated at their first won deal's close (or at their last move, if that was later: history only moves forward), and
/// an open or accepted handoff of theirs is closed as converted. Plain SQL that both providers run.
/// </summary>
public static class WonToCustomer
{
    public const string Note = "Migration: a won deal makes its primary contact a Customer";

    public static readonly string Sql = $"""
        INSERT INTO stage_changes ("PersonId", "From", "To", "At", "Cause", "Actor", "Note")
        SELECT p."Id", p."Stage", 'Customer', CASE WHEN w.closed > p."StageChangedAt" THEN w.closed ELSE p."StageChangedAt" END,
               '{Causes.Won}', 'system', '{Note}'
        FROM people p
        JOIN (SELECT "PrimaryPersonId" AS pid, MIN("ClosedAt") AS closed FROM opportunities
              WHERE "Outcome" = 'Won' AND "PrimaryPersonId" IS NOT NULL AND "ClosedAt" IS NOT NULL GROUP BY "PrimaryPersonId") w ON w.pid = p."Id"
        WHERE p."Stage" <> 'Customer';

        UPDATE people SET "Stage" = 'Customer', "ReengageAt" = NULL, "Version" = "Version" + 1,
               "StageChangedAt" = (SELECT MAX(s."At") FROM stage_changes s WHERE s."PersonId" = people."Id" AND s."Note" = '{Note}')
        WHERE "Stage" <> 'Customer' AND EXISTS (SELECT 1 FROM stage_changes s WHERE s."PersonId" = people."Id" AND s."Note" = '{Note}');

        UPDATE handoffs SET "State" = 'Converted', "NextDeadline" = NULL, "Version" = "Version" + 1, "DecidedBy" = COALESCE("DecidedBy", 'system'),
               "DecidedAt" = COALESCE("DecidedAt", (SELECT MAX(s."At") FROM stage_changes s WHERE s."PersonId" = handoffs."PersonId" AND s."Note" = '{Note}'))
        WHERE "State" IN ('Open', 'Accepted')
          AND EXISTS (SELECT 1 FROM stage_changes s WHERE s."PersonId" = handoffs."PersonId" AND s."Note" = '{Note}');
        """;
}
