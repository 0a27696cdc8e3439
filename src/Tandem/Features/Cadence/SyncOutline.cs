using System.Globalization;

namespace Tandem.Features.Cadence;

/// <summary>One part of the agenda in words: a title and its lines of plain text.</summary>
public sealed record OutlineSection(string Agenda, string Title, IReadOnlyList<string> Lines);

/// <summary>
/// The record as sentences in the meeting's order (numbers, anecdotes, questions heard, wins, actions): what the PDF and
/// the email show. Everything is plain text; each output escapes it for its own format, so a note holding HTML or script
/// is printed, never run.
/// </summary>
public static class SyncOutline
{
    public static readonly string[] Agenda = ["Numbers", "Anecdotes", "Questions heard", "Wins", "Actions"];
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Title(SyncDocument d) => $"Weekly sync {d.Week} ({d.From:d MMM} – {d.To.AddDays(-1):d MMM yyyy})";

    public static IReadOnlyList<OutlineSection> Of(SyncDocument d)
    {
        var s = new List<OutlineSection>();
        if (d.Empty) s.Add(new("Numbers", "No data this week", [d.EmptyNote ?? "Nothing was recorded this week."]));
        s.Add(new("Numbers", "Scorecard", d.Scorecard.Kpis.Count == 0 ? ["No KPI is defined."] : [.. d.Scorecard.Kpis.Select(Kpi)]));
        s.Add(new("Numbers", "Pacing against the plan", d.Pacing is null ? ["No approved plan covers this week."]
            : [.. d.Pacing.Stages.Select(p => $"{p.Stage}: {p.WeekActual} this week against {Num(p.WeekPlan)} planned; {p.ActualToDate} to date against {Num(p.PlanToDate)} ({p.Status}).")]));
        s.Add(new("Numbers", "SLA compliance", [
            d.Sla.Leads == 0 ? "No lead was handed to sales this week." :
                $"{Pct(d.Sla.Compliance)} of {d.Sla.Met + d.Sla.Breached} settled leads met the SLA ({d.Sla.Met} met, {d.Sla.Breached} breached, {d.Sla.Pending} still open).",
            .. d.Sla.ByRep.Select(r => $"{r.Rep}: {r.Met} met, {r.Breached} breached ({Pct(r.Compliance)})."),
            .. d.Sla.Breaches.Select(b => $"Breach — {b.Rep}, {b.Clause}: {b.Count}."),
        ]));
        s.Add(new("Numbers", "Rejection feedback", d.Rejections.Total == 0 ? ["Sales rejected no lead this week."] : [
            $"{d.Rejections.Total} lead(s) rejected.",
            .. d.Rejections.Counts.Select(c => $"{c.Reason} — {c.Channel}: {c.Count}."),
            .. d.Rejections.Examples.Select(e => $"Example: {e.Person}, {e.Reason}" + (e.Note is { Length: > 0 } n ? $": “{n}”" : ".")),
        ]));
        s.Add(new("Anecdotes", "Leads that progressed (MQL → SQL)", d.ProgressedTotal == 0 ? ["No lead became an SQL this week."] : [
            .. d.Progressed.Select(p => $"{p.Person}{At(p.Account)} became an SQL on {p.SqlAt:d MMM}" +
                (p.Touches.Count > 0 ? $" after: {string.Join("; ", p.Touches)}." : ".")),
            .. More(d.ProgressedTotal, d.Progressed.Count),
        ]));
        s.Add(new("Anecdotes", "Leads that stalled", d.StalledTotal == 0 ? ["No accepted lead is waiting untouched."] : [
            .. d.Stalled.Select(l => $"{l.Person} (with {l.Rep}): accepted {l.AcceptedAt:d MMM}, untouched for {l.BusinessDaysUntouched} business days."),
            .. More(d.StalledTotal, d.Stalled.Count),
        ]));
        s.Add(new("Questions heard", "Questions and notes from the field", d.Heard.Count == 0 ? ["No field note was written this week."]
            : [.. d.Heard.Select(n => $"{n.Kind}{At(n.About)} — {n.Author}: “{n.Text}”")]));
        s.Add(new("Wins", "Wins to celebrate", d.Wins.Count == 0 ? ["No deal was won this week."] : [.. d.Wins.Select(w =>
            $"{w.Name}{At(w.Account)}: {w.Amount.ToString("N0", C)} {w.Currency}, won by {w.Owner}." +
            (w.MarketingTouches.Count > 0 ? $" Marketing touches: {string.Join("; ", w.MarketingTouches)}." : " No marketing touch recorded."))]));
        s.Add(new("Wins", "Win/loss/no-decision reviews", d.Reviews.Count == 0 ? ["No review was written this week."] : [.. d.Reviews.Select(r =>
            $"{r.Outcome}{At(r.About)} — {r.Author}: “{r.Text}”" + (r.Reasons is { Length: > 0 } why ? $" Reasons: {why}." : "") +
            (r.Criteria is { Length: > 0 } c ? $" Criteria: {c}." : "") + (r.Competitor is { Length: > 0 } comp ? $" Competitor: {comp}." : ""))]));
        s.Add(new("Actions", "Action items", [
            .. d.Actions.New.Select(a => $"New: {Action(a)}"),
            .. d.Actions.Done.Select(a => $"Done: {Action(a)}"),
            .. d.Actions.CarriedOver.Select(a => $"Carried over ({a.AgeDays} days old): {Action(a)}"),
            .. d.Actions.New.Count + d.Actions.Done.Count + d.Actions.CarriedOver.Count == 0 ? ["No action items."] : Array.Empty<string>(),
        ]));
        return s;
    }

    public static string Kpi(KpiRow k) => k.Broken is { } why ? $"{k.Name}: broken — {why}" :
        $"{k.Name}: {Value(k.Unit, k.Value)} against {(k.Target is null ? "no target" : Value(k.Unit, k.Target))}" +
        $"{(k.TargetSource == "plan" ? " (plan)" : "")} — {Status(k.Status)}. {k.Owner}, {k.Kind.ToLowerInvariant()}, {k.Timing.ToLowerInvariant()}.";

    public static string Status(string s) => s switch { "NoTarget" => "no target", "NoData" => "no data", _ => s.ToLowerInvariant() };

    public static string Value(string unit, double? v) => v is not { } x ? "no data" : unit switch
    {
        "percent" => $"{x.ToString("0.#", C)} %", "money" => x.ToString("N0", C), _ => x.ToString("0.#", C),
    };

    private static string Action(ActionRow a) => $"{a.Title} — {a.Owner}" + (a.DueOn is { } due ? $", due {due:d MMM}" : "") + $" (raised {a.RaisedWeek}).";
    private static string Pct(double? v) => v is { } x ? $"{x.ToString("0.#", C)} %" : "no settled lead";
    private static string Num(double v) => v.ToString("0.#", C);
    private static string At(string? where) => where is { Length: > 0 } w ? $" ({w})" : "";
    private static IEnumerable<string> More(int total, int shown) => total > shown ? [$"… and {total - shown} more."] : [];
}
