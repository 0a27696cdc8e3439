using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;

namespace Tandem.Features.Agreement;

/// <summary>
/// The whole funnel history in compact arrays, grouped by person and in time order: what a replay reads. Built once from
/// the database and kept while the data is unchanged (<see cref="Stamp"/>), so a what-if is a scan over memory rather than
/// ten million rows read again. At 1M people and 10M touches it holds about 250 MB.
/// </summary>
public sealed class Timeline
{
    public required string Stamp { get; init; }
    public required int[] PersonIds { get; init; }
    public required FitSubject[] Subjects { get; init; }
    /// <summary>Touches of person i are [TouchStart[i], TouchStart[i+1]).</summary>
    public required int[] TouchStart { get; init; }
    public required TouchFact[] Touches { get; init; }
    public required int[] StageStart { get; init; }
    public required StageFact[] Stages { get; init; }
    public required int[] WonStart { get; init; }
    public required (DateTime ClosedAt, long AmountMinor, string Currency)[] Won { get; init; }

    /// <summary>The latest touch time; replays clamp MQL times to "now", which binds only for touches after it.</summary>
    public required DateTime LastTouchAt { get; init; }

    public int Count => PersonIds.Length;

    public ReadOnlySpan<TouchFact> TouchesOf(int i) => Touches.AsSpan(TouchStart[i], TouchStart[i + 1] - TouchStart[i]);
    public ReadOnlySpan<StageFact> StagesOf(int i) => Stages.AsSpan(StageStart[i], StageStart[i + 1] - StageStart[i]);
    public ReadOnlySpan<(DateTime ClosedAt, long AmountMinor, string Currency)> WonOf(int i) => Won.AsSpan(WonStart[i], WonStart[i + 1] - WonStart[i]);

    /// <summary>The change feed's head: it moves with every committed change, in any process (decision 0041).</summary>
    public static async Task<string> StampAsync(TandemDb db, CancellationToken ct) =>
        (await Data.Feed.ChangeFeed.HeadAsync(db, ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Timeline> LoadAsync(TandemDb db, CancellationToken ct)
    {
        var stamp = await StampAsync(db, ct);
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Intern(string? s) => s is null ? null : strings.TryGetValue(s, out var i) ? i : strings[s] = s;

        var accounts = await db.Accounts.AsNoTracking()
            .Select(a => new { a.Id, a.Industry, a.EmployeeCount, a.AnnualRevenue, a.Country, a.Region, a.Status }).ToDictionaryAsync(a => a.Id, ct);
        var people = await db.People.AsNoTracking().OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Email, p.Title, p.SourceChannel, p.AccountId }).ToListAsync(ct);
        var index = new Dictionary<int, int>(people.Count);
        var subjects = new FitSubject[people.Count];
        for (var i = 0; i < people.Count; i++)
        {
            var p = people[i];
            index[p.Id] = i;
            var a = p.AccountId is { } aid ? accounts.GetValueOrDefault(aid) : null;
            // Only the domain of the email matters to fit; keeping "x@domain" interned saves the rest of the address.
            subjects[i] = new FitSubject(Intern("x@" + p.Email[(p.Email.LastIndexOf('@') + 1)..])!, Intern(p.Title), p.SourceChannel,
                Intern(a?.Industry), a?.EmployeeCount, a?.AnnualRevenue, Intern(a?.Country), Intern(a?.Region), a is null ? null : Status(a.Status));
        }
        people.Clear();

        var touchStart = new int[subjects.Length + 1];
        var touches = new List<TouchFact>();
        var current = -1;
        await foreach (var t in db.Touches.AsNoTracking().OrderBy(t => t.PersonId).ThenBy(t => t.OccurredAt).ThenBy(t => t.Id)
                           .Select(t => new { t.PersonId, t.OccurredAt, t.Type, t.Channel, t.CampaignId }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var i = index[t.PersonId];
            while (current < i) touchStart[++current] = touches.Count;
            touches.Add(new TouchFact(t.OccurredAt, t.Type, t.Channel, t.CampaignId));
        }
        while (current < subjects.Length) touchStart[++current] = touches.Count;

        var stageStart = new int[subjects.Length + 1];
        var stages = new List<StageFact>();
        current = -1;
        await foreach (var s in db.StageChanges.AsNoTracking().OrderBy(s => s.PersonId).ThenBy(s => s.At).ThenBy(s => s.Id)
                           .Select(s => new { s.PersonId, s.At, s.To, s.Cause, s.ReengageAt }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var i = index[s.PersonId];
            while (current < i) stageStart[++current] = stages.Count;
            stages.Add(new StageFact(s.At, s.To, s.Cause.StartsWith("definition:", StringComparison.Ordinal), s.ReengageAt));
        }
        while (current < subjects.Length) stageStart[++current] = stages.Count;

        var wonRows = await db.Opportunities.AsNoTracking()
            .Where(o => o.Outcome == Outcome.Won && o.PrimaryPersonId != null && o.ClosedAt != null)
            .Select(o => new { Person = o.PrimaryPersonId!.Value, ClosedAt = o.ClosedAt!.Value, o.AmountMinor, o.Currency }).ToListAsync(ct);
        var wonStart = new int[subjects.Length + 1];
        var won = wonRows.Where(w => index.ContainsKey(w.Person)).OrderBy(w => index[w.Person]).ThenBy(w => w.ClosedAt).ToList();
        current = -1;
        for (var k = 0; k < won.Count; k++)
        {
            var i = index[won[k].Person];
            while (current < i) wonStart[++current] = k;
        }
        while (current < subjects.Length) wonStart[++current] = won.Count;

        return new Timeline
        {
            Stamp = stamp, PersonIds = [.. index.OrderBy(kv => kv.Value).Select(kv => kv.Key)], Subjects = subjects,
            LastTouchAt = touches.Count == 0 ? DateTime.MinValue : touches.Max(t => t.At),
            TouchStart = touchStart, Touches = [.. touches], StageStart = stageStart, Stages = [.. stages],
            WonStart = wonStart, Won = [.. won.Select(w => (w.ClosedAt, w.AmountMinor, Intern(w.Currency)!))],
        };
    }

    private static string Status(AccountStatus s) => s switch
    {
        AccountStatus.Active => "Active",
        AccountStatus.OutOfBusiness => "OutOfBusiness",
        _ => "Disqualified",
    };
}
