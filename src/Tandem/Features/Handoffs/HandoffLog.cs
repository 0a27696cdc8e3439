using System.Text.Json;
using Tandem.Data;
using Tandem.Features.Activity;

namespace Tandem.Features.Handoffs;

/// <summary>SLA events in the append-only activity log, under the person, so they appear on the person's timeline.</summary>
internal static class HandoffLog
{
    public static void Add(TandemDb db, int personId, string kind, string actor, object detail) => db.Activity.Add(Entry(db, personId, kind, actor, detail));

    public static ActivityEntry Entry(TandemDb db, int personId, string kind, string actor, object detail) =>
        new()
        {
            At = db.UtcNow, Actor = actor, SubjectKind = SubjectKind.Person, SubjectId = personId, Kind = kind,
            Detail = JsonSerializer.Serialize(detail, JsonSerializerOptions.Web),
        };
}
