using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Opportunities;

namespace Tandem.Features.Import;

/// <summary>
/// Opportunities update by externalId, which is required: without it a re-import could not tell a new deal
/// from a known one. Amounts are major units in the file and minor units in the database. Dates are never
/// invented: an empty created date stays empty, and a won or lost deal without a close date is an error.
/// </summary>
internal sealed class OpportunityImporter(ImportContext ctx) : EntityImporter(ctx)
{
    public override Type Stored => typeof(Opportunities.Opportunity);

    public override IReadOnlyList<FieldDef> Fields { get; } =
    [
        new("externalId", Required: true), new("name"), new("account"), new("primaryPerson"), new("owner"), new("amount"),
        new("currency"), new("salesStage", Required: true), new("outcome"), new("outcomeReason"), new("createdAt"),
        new("expectedCloseAt"), new("closedAt"),
    ];

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        await Ctx.Users.PrefetchAsync(rows.Select(r => r.Text("owner")), ct);
        await Ctx.Accounts.PrefetchAsync(rows.Select(r => r.Text("account")), ct);
        await Ctx.People.PrefetchAsync(rows.Select(r => r.Text("primaryPerson")), ct);
        var index = new KeyIndex<Opportunity>(o => o.ExternalId, _ => null).AddRange(await Ctx.StoredAsync(Db.Opportunities, "opportunities",
            ("ExternalId", rows.Select(r => r.Text("externalId")))));

        var written = new List<(Opportunity Entity, Dictionary<string, string?> Props)>();
        var moves = new List<(Opportunity Opp, string? From, DateTime At)>();
        var fresh = new List<Opportunity>();
        foreach (var r in rows)
        {
            var (extId, name, stage) = (r.Text("externalId", required: true), r.Text("name"), r.Text("salesStage", required: true));
            Ctx.Once(r, extId);
            var (account, person, owner) = (r.Ref("account", Ctx.Accounts), r.Ref("primaryPerson", Ctx.People), r.Ref("owner", Ctx.Users));
            var (amount, currency, outcome, reason) = (r.Number("amount"), r.Currency("currency"), r.Enum<Outcome>("outcome") ?? Outcome.Open, r.Text("outcomeReason"));
            var (created, expected, closed) = (r.Date("createdAt"), r.Date("expectedCloseAt"), r.Date("closedAt"));
            // CRMs export one "Close Date": the expected close while a deal is open, the actual one once it is closed. A column
            // mapped to both fields is read that way (decision 0053).
            if (outcome == Outcome.Open && r.SameColumn("closedAt", "expectedCloseAt")) closed = null;
            var props = r.Properties();
            if (amount < 0) r.Fail("amount", "an amount cannot be negative");
            else if (amount > Money.ToMajor(Money.MaxMinor)) r.Fail("amount", $"an amount is at most {Money.ToMajor(Money.MaxMinor):N0}");
            if (stage is { Length: > 60 }) r.Fail("salesStage", "a sales stage is at most 60 characters");
            if (outcome == Outcome.Open && closed is not null) r.Fail("closedAt", OpenWithCloseDate(r));
            if (outcome != Outcome.Open && closed is null) r.Fail("closedAt", ClosedWithoutDate(r, outcome));
            if (closed < created) r.Fail("closedAt", $"the close date {closed:yyyy-MM-dd} is before the created date {created:yyyy-MM-dd}");
            if (!r.Ok) continue;

            var found = index.Find(extId, null);
            var isNew = found is null;
            // A new deal is inserted in bulk after the loop (decision 0096); a known one is updated through EF as before.
            var o = found ?? index.Add(new Opportunity { Name = "", SalesStage = "", ExternalId = extId, RecordedAt = Ctx.Now });
            if (isNew) fresh.Add(o);
            var (oldStage, oldOutcome) = (o.SalesStage, o.Outcome);
            o.Name = name ?? (isNew || r.Has("name") ? extId! : o.Name);
            o.SalesStage = stage!;
            o.Outcome = outcome;
            o.ClosedAt = closed;
            if (r.Has("account")) o.AccountId = account;
            if (r.Has("primaryPerson")) o.PrimaryPersonId = person;
            if (r.Has("owner")) o.OwnerId = owner;
            if (r.Has("amount")) o.AmountMinor = Money.ToMinor(amount ?? 0);
            if (isNew || r.Has("currency")) o.Currency = Ctx.CurrencyOr(currency);
            if (r.Has("outcomeReason")) o.OutcomeReason = reason;
            if (r.Has("createdAt")) o.CreatedAt = created;
            if (r.Has("expectedCloseAt")) o.ExpectedCloseAt = expected;
            // The history records when the deal reached its stage: the close date for a closed deal, else now (when Tandem learned it).
            if (isNew || oldStage != o.SalesStage || oldOutcome != o.Outcome) moves.Add((o, isNew ? null : oldStage, closed ?? Ctx.Now));
            written.Add((o, props));
        }
        var inserted = fresh.ToHashSet(ReferenceEqualityComparer.Instance);
        await Ctx.SaveAsync(written.Select(w => w.Entity).Where(e => !inserted.Contains(e)), ct);
        await Ctx.InsertNewAsync(SubjectKind.Opportunity, fresh, o => o.Id, ct);
        foreach (var o in fresh) Db.Changes.Opportunity(o.Id);
        OpportunityStageChange Move((Opportunity Opp, string? From, DateTime At) m) =>
            new() { OpportunityId = m.Opp.Id, From = m.From, To = m.Opp.SalesStage, Outcome = m.Opp.Outcome, At = m.At, Actor = ImportContext.Actor };
        await BulkInsert.AddAsync(Db, [.. moves.Where(m => inserted.Contains(m.Opp)).Select(Move)], needIds: false, ct);
        Db.OpportunityStageChanges.AddRange(moves.Where(m => !inserted.Contains(m.Opp)).Select(Move));
        await Ctx.InsertPropertiesAsync(SubjectKind.Opportunity, ImportContext.Merged(written.Where(w => inserted.Contains(w.Entity)).Select(w => (w.Entity.Id, w.Props))), ct);
        await Ctx.WritePropertiesAsync(SubjectKind.Opportunity, written.Where(w => !inserted.Contains(w.Entity)).Select(w => (w.Entity.Id, w.Props)).ToList(), ct);
        // A deal moves its primary contact forward: SQL, and Customer when won (Lifecycle).
        await Lifecycle.Transitions.AfterOpportunitiesAsync(Db, [.. written.Select(w => w.Entity)], ImportContext.Actor, ct);
        await Db.SaveChangesAsync(ct);
    }

    /// <summary>The fix depends on where the Open came from: a cell the value map did not translate, or no outcome at all.</summary>
    private static string OpenWithCloseDate(RowValues r) => r.Raw("outcome") is { Length: > 0 } cell
        ? $"this deal has a close date but its outcome '{cell}' reads as Open, and an open deal has no close date; if '{cell}' means a closed deal, "
            + $"translate it in the mapping: \"values\": {{ \"outcome\": {{ \"{cell}\": \"Won\" }} }} (or \"Lost\")"
        : "this deal has a close date but no outcome, so it reads as Open, and an open deal has no close date; if the file holds closed deals, give "
            + "the outcome in the mapping (\"defaults\": { \"outcome\": \"Won\" }), or map the column that says won or lost to \"outcome\"";

    private static string ClosedWithoutDate(RowValues r, Outcome outcome) => !r.Has("closedAt") || r.Raw("closedAt") is null
        ? $"a {outcome} opportunity needs a close date (Tandem never invents one); map the column that holds it to \"closedAt\""
        : $"a {outcome} opportunity needs a close date (Tandem never invents one) and this row's is empty; if the deal is still open, "
            + (r.Raw("outcome") is { Length: > 0 } cell
                ? $"translate its outcome '{cell}' to Open in the mapping: \"values\": {{ \"outcome\": {{ \"{cell}\": \"Open\" }} }}"
                : "its outcome should be Open: the mapping's default outcome applies to every row without one");
}
