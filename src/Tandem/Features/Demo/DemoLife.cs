using Tandem.Data;
using Tandem.Features.Opportunities;
using Tandem.Features.People;

namespace Tandem.Features.Demo;

/// <summary>
/// One person's path through the funnel: a small simulation with channel-dependent odds and realistic lags.
/// Every move obeys <see cref="StageRules"/> (an opportunity exists before SQL, a won one before Customer),
/// and nothing happens after "now": whoever is mid-way simply stays where they are.
/// </summary>
internal sealed class DemoLife(DemoCompany co, DemoIds ids, DemoChunk chunk, Person p, ChannelProfile ch, int region, bool outOfBusiness, string accountName, int employees)
{
    public DemoRandom Rng;
    private bool _entered;
    public DateTime At { get; private set; }
    /// <summary>Moments that deserve a touch (a demo request before MQL, a meeting before SQL…).</summary>
    public List<(DateTime At, TouchType Type, Channel Channel)> Moments { get; } = [];

    public void Run()
    {
        At = p.CreatedAt;
        Enter(LifecycleStage.Inquiry, "touch", "system", null);
        var pMql = ch.Mql * (outOfBusiness ? 0 : 1) * (p.AccountId is null ? 0.6 : 1);
        for (var round = 0; round < 2; round++)
        {
            if (!Rng.Chance(pMql)) { AfterInquiry(); return; }
            if (!Step(Rng.Lag(1, 45))) return;
            Moments.Add((At.AddHours(-2), Rng.Chance(0.5) ? TouchType.DemoRequest : TouchType.PricingPageVisit, ch.Channel));
            p.OwnerId ??= Rng.Pick(co.RepsByRegion[region]);
            Enter(LifecycleStage.MQL, "definition:v1", "system", null);
            if (!Sales()) return;
            // Some nurtured people come back months later and qualify again.
            if (p.Stage != LifecycleStage.Nurture || !Rng.Chance(DemoProfile.RecycleShare) || !Step(Rng.Between(60, 240))) return;
            pMql = 1;
        }
    }

    private string Rep => $"user:{p.OwnerId}";

    /// <summary>False when the next step would land after "now".</summary>
    private bool Step(double days)
    {
        var next = At.AddSeconds(Math.Round(days * 86_400));
        if (next > co.Now) return false;
        At = next;
        return true;
    }

    private void AfterInquiry()
    {
        if (outOfBusiness && Rng.Chance(0.7) && Step(Rng.Between(10, 120)))
            Enter(LifecycleStage.Disqualified, "manual", "system", "Company out of business");
        else if (Rng.Chance(0.3) && Step(Rng.Between(20, 90)))
            Enter(LifecycleStage.Nurture, "definition:v1", "system", Rng.Pick(DemoProfile.InquiryNurture));
        else if (Rng.Chance(0.12) && Step(Rng.Between(2, 30)))
        {
            var reason = Rng.Pick(DemoProfile.InquiryDisqualify);
            if (reason == "Invalid contact data") Moments.Add((At.AddHours(-1), TouchType.Bounce, Channel.Email));
            Enter(LifecycleStage.Disqualified, "manual", "system", reason);
        }
    }

    /// <summary>From MQL on: false when time ran out.</summary>
    private bool Sales()
    {
        if (!Step(Rng.Lag(0.1, 5))) return false;
        if (!Rng.Chance(DemoProfile.MqlToSal * ch.Quality))
        {
            var disqualify = Rng.Chance(0.55);
            Enter(disqualify ? LifecycleStage.Disqualified : LifecycleStage.Nurture, "sla:reject", Rep,
                Rng.Pick(disqualify ? DemoProfile.SalesReject : DemoProfile.SalesNurture));
            return true;
        }
        Moments.Add((At.AddHours(1), TouchType.Call, Channel.Outbound));
        Enter(LifecycleStage.SAL, "sla:accept", Rep, null);
        if (!Step(Rng.Lag(3, 30))) return false;
        if (!Rng.Chance(DemoProfile.SalToSql * ch.Quality))
        {
            Enter(LifecycleStage.Nurture, "manual", Rep, Rng.Pick(DemoProfile.SalesNurture));
            return true;
        }
        Moments.Add((At.AddHours(-3), TouchType.Meeting, Channel.Outbound));
        var opp = Opportunity(At, Rng.Lag(20, 160), Rng.Chance(DemoProfile.Win * ch.Quality), expansion: false);
        Enter(LifecycleStage.SQL, "opportunity", Rep, null);
        if (opp.ClosedAt is not { } closed) return false;
        At = closed;
        if (opp.Outcome == Outcome.Won)
        {
            Enter(LifecycleStage.Customer, "opportunity:won", Rep, null);
            if (Rng.Chance(DemoProfile.ExpansionShare) && Step(Rng.Between(60, 300)))
                Opportunity(At, Rng.Lag(20, 90), Rng.Chance(0.5), expansion: true);
            return false;
        }
        if (!Step(Rng.Between(1, 30))) return false;
        Enter(LifecycleStage.Nurture, "opportunity:" + opp.Outcome.ToString().ToLowerInvariant(), Rep, Rng.Pick(DemoProfile.AfterLoss));
        return true;
    }

    private void Enter(LifecycleStage to, string cause, string actor, string? reason)
    {
        chunk.StageChanges.Add(new StageChange
        {
            Id = ++ids.StageChange, PersonId = p.Id, From = _entered ? p.Stage : null,
            To = to, At = At, Cause = cause, Actor = actor, Reason = reason,
        });
        _entered = true;
        p.Stage = to;
        p.StageChangedAt = At;
        p.ReengageAt = to == LifecycleStage.Nurture ? At.AddDays(180) : null;
    }

    /// <summary>A deal through the sales stages; closed only if its close date is already past.</summary>
    private Opportunity Opportunity(DateTime created, double cycleDays, bool won, bool expansion)
    {
        var close = created.AddSeconds(Math.Round(cycleDays * 86_400));
        var outcome = won ? Outcome.Won : Rng.Chance(0.65) ? Outcome.Lost : Outcome.NoDecision;
        var reached = won ? DemoProfile.SalesStages.Length : 1 + Rng.Next(DemoProfile.SalesStages.Length);
        var amount = 8_000 * Math.Pow(Math.Max(10, employees), 0.25);
        var o = new Opportunity
        {
            Id = ++ids.Opportunity, Name = $"{accountName} – {(expansion ? "Expansion" : "New business")}", AccountId = p.AccountId,
            PrimaryPersonId = p.Id, OwnerId = p.OwnerId, AmountMinor = (long)Math.Round(amount * Rng.Between(0.6, 1.6) / 100) * 100 * 100,
            SalesStage = DemoProfile.SalesStages[0], CreatedAt = created, ExpectedCloseAt = created.AddDays(Math.Round(cycleDays * Rng.Between(0.6, 1.0))),
        };
        chunk.Opportunities.Add(o);
        string? last = null;
        for (var s = 0; s < reached; s++)
        {
            var at = created.AddSeconds(Math.Round((close - created).TotalSeconds * s / (reached + 1)));
            if (at > co.Now) return o;
            AddChange(o, last, last = DemoProfile.SalesStages[s], Outcome.Open, at);
        }
        if (close > co.Now) return o;
        var (to, reasons) = outcome switch
        {
            Outcome.Won => (DemoProfile.ClosedWon, DemoProfile.WinReasons),
            Outcome.Lost => (DemoProfile.ClosedLost, DemoProfile.LossReasons),
            _ => (DemoProfile.NoDecision, DemoProfile.NoDecisionReasons),
        };
        AddChange(o, last, to, outcome, close);
        (o.Outcome, o.OutcomeReason, o.ClosedAt) = (outcome, Rng.Pick(reasons), close);
        return o;
    }

    private void AddChange(Opportunity o, string? from, string to, Outcome outcome, DateTime at)
    {
        chunk.OpportunityChanges.Add(new OpportunityStageChange
            { Id = ++ids.OpportunityChange, OpportunityId = o.Id, From = from, To = to, Outcome = outcome, At = at, Actor = $"user:{o.OwnerId}" });
        o.SalesStage = to;
    }
}

/// <summary>Running ids across chunks; the database is empty, so the demo hands them out itself.</summary>
internal sealed class DemoIds
{
    public long StageChange;
    public int Opportunity;
    public long OpportunityChange;
}
