using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Properties;
using Tandem.Features.Touches;

namespace Tandem.Data.Feed;

/// <summary>Which funnel records a save changes, from EF's change tracker. Captured before the save, read after it (new rows' ids).</summary>
internal static class FeedRecorder
{
    /// <summary>Tables that never matter to a reader of the funnel: logs and derived state.</summary>
    private static readonly HashSet<string> Ignored = ["activity", "lead_scores", "change_feed", "change_feed_head", "webhook_deliveries", "api_keys", "email_outbox", "sign_in_failures"];

    public static List<EntityEntry> Capture(ChangeTracker tracker) =>
        [.. tracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)];

    public static void Record(PendingChanges changes, IEnumerable<EntityEntry> saved)
    {
        foreach (var e in saved)
            switch (e.Entity)
            {
                case Person p: changes.Person(p.Id); break;
                case StageChange s: changes.Person(s.PersonId); break;
                case Touch t: changes.Person(t.PersonId); break;
                case Opportunity o: changes.Opportunity(o.Id); break;
                case OpportunityStageChange c: changes.Opportunity(c.OpportunityId); break;
                case CustomProperty c:
                    changes.Table("custom_properties");
                    if (c.SubjectKind == SubjectKind.Person) changes.Person(c.SubjectId);
                    else if (c.SubjectKind == SubjectKind.Opportunity) changes.Opportunity(c.SubjectId);
                    break;
                default:
                    if (e.Metadata.GetTableName() is { } table && !Ignored.Contains(table)) changes.Table(table);
                    break;
            }
    }
}
