using Tandem.Data;
using Tandem.Features.Lifecycle;
using Tandem.Features.Opportunities;
using Tandem.Features.Agreement;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Features.Demo;

/// <summary>
/// One person's life, walked in time order through the real lead engine. Touches are scored with the demo's v1 definition
/// exactly as live ingestion scores them, and the person becomes an MQL when v1 says so — never by a separate coin toss —
/// so replaying v1 over the demo reproduces its MQLs. What sales then does (accept, reject, win, lose) is simulated with
/// channel-dependent odds and realistic lags. Every move obeys <see cref="StageRules"/>, and nothing happens after "now".
/// </summary>
internal sealed class DemoLife(DemoCompany co, DemoIds ids, DemoChunk chunk, Person p, ChannelProfile ch, int region, bool outOfBusiness,
    string accountName, int employees, DemoEngine engine, FitSubject subject, int definitionId, DemoHandoffs handoffs)
{
    public DemoRandom Rng;
    private bool _entered;
    private readonly DemoEvents _events = new();
    private DemoTouches _touches = null!;
    private int _n;
    public DateTime At { get; private set; }

    public void Run()
    {
        _touches = new DemoTouches(co, _events, p, ch) { Rng = new DemoRandom(Rng.NextULong()) };
        At = p.CreatedAt;
        Enter(LifecycleStage.Inquiry, "touch", "system", null);
        _touches.Arrival();
        // In market: a burst of buying signals some days after arriving. Whether it qualifies is v1's call.
        var inMarket = outOfBusiness ? 0 : DemoProfile.Clamp(ch.Mql * DemoProfile.InMarketFactor * (p.AccountId is null ? 0.6 : 1));
        if (Rng.Chance(inMarket)) _touches.Burst(p.CreatedAt.AddDays(Rng.Lag(1, 45)));
        Fate();
        Walk();
    }

    private void Walk()
    {
        var graded = FitGrade.Evaluate(engine.Content.Fit, subject);
        var fit = graded.Grade;
        var exclusion = Qualification.Exclusion(engine.Content.Exclusions, subject);
        var state = engine.Scoring.NewState();
        while (_events.Next(out var e))
        {
            if (e.Fate is { } fate)
            {
                if (p.Stage != LifecycleStage.Inquiry || e.At > co.Now) continue;
                At = e.At;
                Enter(fate, "manual", "system", e.Reason);
                if (fate == LifecycleStage.Nurture) Recycle();
                continue;
            }
            Emit(e.At, e.Type, e.Channel, state);
            if (!Qualification.Eligible(p.Stage, p.ReengageAt, e.At)) continue;
            var verdict = Qualification.Decide(engine.Content.Qualify, fit, state.Score, e.Type, exclusion);
            if (verdict is not (Verdict.Score or Verdict.FastTrack)) continue;
            At = LeadEngine.Clamp(e.At, p.StageChangedAt, co.Now);
            // The draw the demo made before routing existed stays, so every later draw (and the demo's figures) is unchanged.
            if (p.OwnerId is null) Rng.Pick(co.RepsByRegion[region]);
            var handoff = handoffs.Start(p, region, definitionId, At);
            Enter(LifecycleStage.MQL, engine.Cause, "system", null);
            chunk.StageChanges[^1].Note = LeadEngine.Explain(verdict, fit, state.Score, e.Type);
            var after = chunk.StageChanges.Count;
            Sales();
            handoffs.Finish(chunk, handoff, after);
            if (p.Stage == LifecycleStage.Nurture) Recycle();
        }
        chunk.Scores.Add(LeadEngine.ToRow(p.Id, definitionId, state, graded));
    }

    /// <summary>Stores a touch and folds it into the score, as ingestion would on arrival.</summary>
    private void Emit(DateTime at, TouchType type, Channel channel, ScoreState state)
    {
        if (at > co.Now || at < co.Start) return;
        // Organic and miscellaneous activity mostly happens outside any campaign.
        int? campaign = (channel == Channel.Organic || channel == Channel.Other) && Rng.Chance(0.7) ? null : co.CampaignId(Channels.ChannelSet.Default.Code(channel), at);
        var props = type switch
        {
            TouchType.WebVisit => Rng.Pick(DemoProfile.PageProps),
            TouchType.PricingPageVisit => DemoProfile.PageProps[2],
            TouchType.AdClick => """{"utm_source":"google","utm_medium":"cpc"}""",
            _ => null,
        };
        chunk.Touches.Add(new TouchRow($"demo-{p.Id}-{++_n}", p.Id, type, channel, campaign, at, at, props));
        engine.Scoring.Apply(state, new TouchFact(at, type, channel, campaign));
    }

    /// <summary>What happens to an inquiry nobody qualifies: the manual moves marketing makes, if still at Inquiry by then.</summary>
    private void Fate()
    {
        if (outOfBusiness && Rng.Chance(0.7)) _events.Fate(p.CreatedAt.AddDays(Rng.Between(10, 120)), LifecycleStage.Disqualified, DemoProfile.OutOfBusiness);
        else if (Rng.Chance(0.3)) _events.Fate(p.CreatedAt.AddDays(Rng.Between(20, 90)), LifecycleStage.Nurture, Rng.Pick(DemoProfile.InquiryNurture));
        else if (Rng.Chance(0.12))
        {
            var at = p.CreatedAt.AddDays(Rng.Between(2, 30));
            var reason = Rng.Pick(DemoProfile.InquiryDisqualify);
            if (reason == DemoProfile.BadContactData) _touches.Add(at.AddHours(-1), TouchType.Bounce, Channel.Email);
            _events.Fate(at, LifecycleStage.Disqualified, reason);
        }
    }

    /// <summary>Some nurtured people come back in market after their re-engage date.</summary>
    private void Recycle()
    {
        if (p.ReengageAt is { } back && Rng.Chance(DemoProfile.RecycleShare)) _touches.Burst(back.AddDays(Rng.Between(0, 60)));
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
        _touches.Add(At.AddHours(1), TouchType.Call, Channel.Outbound);
        Enter(LifecycleStage.SAL, "sla:accept", Rep, null);
        if (!Step(Rng.Lag(3, 30))) return false;
        if (!Rng.Chance(DemoProfile.SalToSql * ch.Quality))
        {
            Enter(LifecycleStage.Nurture, "manual", Rep, Rng.Pick(DemoProfile.SalesNurture));
            return true;
        }
        _touches.Add(At.AddHours(-3), TouchType.Meeting, Channel.Outbound);
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
        var change = StageHistory.Append(p, to, At, cause, actor, reason, reengageAt: to == LifecycleStage.Nurture ? At.AddDays(180) : null, first: !_entered);
        change.Id = ++ids.StageChange;
        chunk.StageChanges.Add(change);
        _entered = true;
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
