using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Tandem.Features.Accounts;
using Tandem.Features.Activity;
using Tandem.Features.Campaigns;
using Tandem.Features.Opportunities;
using Tandem.Features.People;
using Tandem.Features.Users;

namespace Tandem.Data;

/// <summary>Turns tracked changes of the main records into activity-log rows and stamps versions.</summary>
internal static class ChangeAudit
{
    private static readonly HashSet<string> Quiet = [nameof(IVersioned.Version), nameof(IVersioned.UpdatedAt),
        nameof(User.AccessFailedCount), nameof(Features.Access.ApiKey.LastUsedAt), nameof(Features.Handoffs.RoutingSeat.LastAssignedAt)];

    /// <summary>Logged as changed, never with their values: the log must not hold secrets.</summary>
    private static readonly HashSet<string> Secret = [nameof(User.PasswordHash), nameof(User.SecurityStamp), nameof(Features.Access.ApiKey.Hash),
        nameof(Features.Webhooks.WebhookEndpoint.Secret)];

    internal sealed record Pending(EntityEntry Entry, SubjectKind Kind, string Verb, DateTime At, Dictionary<string, object?[]>? Changes)
    {
        /// <summary>The subject id is the record's int key; a record keyed otherwise (a reject reason's code) gets 0 and its
        /// key in the detail.</summary>
        public ActivityEntry ToEntry(string actor)
        {
            var key = Entry.Metadata.FindPrimaryKey()!.Properties[0];
            var value = Entry.Property(key.Name).CurrentValue;
            var changes = Changes;
            if (value is not int && changes is not null) changes = new(changes) { ["key"] = [value, value] };
            var row = Row(Kind, value is int id ? id : 0, Verb, At, actor, changes);
            if (value is not int && changes is null) row.Detail = JsonSerializer.Serialize(new { key = value });
            return row;
        }
    }

    /// <summary>The "….updated" row a save would write, for raw writers: <paramref name="changes"/> maps each changed property
    /// (PascalCase, in the model's alphabetical order) to its old and new value.</summary>
    public static ActivityEntry Updated(SubjectKind kind, int id, DateTime at, string actor, IEnumerable<(string Property, object? Old, object? New)> changes) =>
        Row(kind, id, kind.ToString().ToLowerInvariant() + ".updated", at, actor,
            changes.Where(c => !Equals(c.Old, c.New)).ToDictionary(c => Camel(c.Property), c => new[] { c.Old, c.New }));

    private static ActivityEntry Row(SubjectKind kind, int id, string verb, DateTime at, string actor, Dictionary<string, object?[]>? changes) => new()
    {
        At = at, Actor = actor, SubjectKind = kind, SubjectId = id, Kind = verb,
        Detail = changes is null ? null : JsonSerializer.Serialize(new { changes }),
    };

    public static List<Pending> Collect(ChangeTracker tracker, DateTime now)
    {
        var list = new List<Pending>();
        foreach (var e in tracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (KindOf(e.Entity) is not { } kind) continue;
            var noun = kind.ToString().ToLowerInvariant();
            switch (e.State)
            {
                case EntityState.Added:
                    list.Add(new(e, kind, noun + ".created", now, null));
                    break;
                case EntityState.Deleted:
                    list.Add(new(e, kind, noun + ".deleted", now, null));
                    break;
                default:
                    var changes = e.Properties
                        .Where(p => p.IsModified && !Quiet.Contains(p.Metadata.Name) && !Equals(p.OriginalValue, p.CurrentValue))
                        .ToDictionary(p => Camel(p.Metadata.Name), p => Secret.Contains(p.Metadata.Name)
                            ? new object?[] { "***", "***" }
                            : new[] { p.OriginalValue, p.CurrentValue });
                    if (changes.Count > 0) list.Add(new(e, kind, noun + ".updated", now, changes));
                    break;
            }
        }
        return list;
    }

    public static void Stamp(ChangeTracker tracker, DateTime now)
    {
        foreach (var e in tracker.Entries<IVersioned>())
        {
            if (e.State == EntityState.Added)
            {
                e.Entity.UpdatedAt = now;
                e.Entity.Version = 1;
                if (e.Metadata.FindProperty("CreatedAt") is { ClrType: var t } p && t == typeof(DateTime)
                    && (DateTime)e.Property(p.Name).CurrentValue! == default)
                    e.Property(p.Name).CurrentValue = now;
                if (e.Metadata.FindProperty("RecordedAt") is { } r) e.Property(r.Name).CurrentValue = now;
            }
            else if (e.State == EntityState.Modified)
            {
                e.Entity.UpdatedAt = now;
                e.Entity.Version = (int)e.Property(nameof(IVersioned.Version)).OriginalValue! + 1;
            }
        }
    }

    private static SubjectKind? KindOf(object entity) => entity switch
    {
        Person => SubjectKind.Person,
        Account => SubjectKind.Account,
        Opportunity => SubjectKind.Opportunity,
        Campaign => SubjectKind.Campaign,
        User => SubjectKind.User,
        Team => SubjectKind.Team,
        Features.Access.ApiKey => SubjectKind.ApiKey,
        Features.Webhooks.WebhookEndpoint => SubjectKind.Webhook,
        Features.Handoffs.TerritoryRule => SubjectKind.Territory,
        Features.Handoffs.RoutingSeat => SubjectKind.RoutingSeat,
        Features.Handoffs.RejectReason => SubjectKind.RejectReason,
        Features.Calendars.Holiday => SubjectKind.Holiday,
        _ => null,
    };

    private static string Camel(string s) => char.ToLowerInvariant(s[0]) + s[1..];
}
