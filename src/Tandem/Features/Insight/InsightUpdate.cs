using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Data.Feed;

namespace Tandem.Features.Insight;

/// <summary>
/// Applies what the change feed says changed to a snapshot of <see cref="InsightFacts"/>, making the next one (decision
/// 0042). The database is read only for the changed people and deals: each changed person is folded again from their
/// rows, exactly as <see cref="InsightLoader"/> folds everyone. The per-person columns are copied (a few MB at a million
/// people); the touch arrays are shared, the changed people's touches appended after the last snapshot's. Returns null
/// when a full rebuild is the only way (a bulk load, a feed gap, a new account or campaign sorted before existing ones,
/// or more than <see cref="MaxPeople"/> people at once).
/// </summary>
internal static class InsightUpdate
{
    public const int MaxPeople = 50_000;
    /// <summary>Garbage slots tolerated beyond the live ones before the arrays are compacted.</summary>
    internal static int Compaction = 1_000_000;
    private const int Chunk = 1_000;

    public static async Task<InsightFacts?> ApplyAsync(TandemDb db, InsightFacts f, FeedDelta d, Personas personas, CancellationToken ct)
    {
        if (d.Full) return null;
        var accounts = f.Accounts;
        if (d.Tables.Contains("accounts"))
        {
            accounts = await InsightLoader.AccountsAsync(db, ct);
            if (!KeepsPositions(f.Accounts.Select(a => a.Id), accounts.Select(a => a.Id))) return null;
        }
        var campaigns = f.Campaigns;
        if (d.Tables.Contains("campaigns"))
        {
            campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id)
                .Select(c => new InsightCampaign(c.Id, c.Name, c.Channel, c.CostMinor, c.Currency, c.StartsAt, c.EndsAt)).ToArrayAsync(ct);
            if (!KeepsPositions(f.Campaigns.Select(c => c.Id), campaigns.Select(c => c.Id))) return null;
        }
        var channels = f.Channels;
        if (d.Tables.Contains("channels"))
        {
            // Channels are only added or renamed, so the codes already in the touch arrays keep their meaning.
            channels = await Channels.ChannelSet.LoadAsync(db, ct);
            if (!KeepsPositions(f.Channels.All.Select(c => c.Channel.Key), channels.All.Select(c => c.Channel.Key))) return null;
        }
        var users = d.Tables.Contains("users") || d.Tables.Contains("teams") ? await InsightLoader.UsersAsync(db, ct) : f.Users;

        var changedOpps = await ByIdsAsync(d.Opportunities, ids => db.Opportunities.AsNoTracking().Where(o => ids.Contains(o.Id)), ct);
        var people = new HashSet<int>(d.People);
        foreach (var o in changedOpps)
        {
            if (o.PrimaryPersonId is { } pid) people.Add(pid);
            if (f.OppIndex(o.Id) is var at and >= 0 && f.OppPerson[at] >= 0) people.Add(f.PersonId[f.OppPerson[at]]);
        }
        if (people.Count > MaxPeople) return null;

        var rows = await ByIdsAsync(people, ids => db.People.AsNoTracking().Where(p => ids.Contains(p.Id)), ct);
        var stages = (await ByIdsAsync(people, ids => db.StageChanges.AsNoTracking().Where(s => ids.Contains(s.PersonId)), ct))
            .OrderBy(s => s.PersonId).ThenBy(s => s.At).ThenBy(s => s.Id).ToLookup(s => s.PersonId);
        var touches = (await ByIdsAsync(people, ids => db.Touches.AsNoTracking().Where(t => ids.Contains(t.PersonId)), ct))
            .OrderBy(t => t.OccurredAt).ThenBy(t => t.Id).ToLookup(t => t.PersonId);
        var deals = (await ByIdsAsync(people, ids => db.Opportunities.AsNoTracking().Where(o => o.PrimaryPersonId != null && ids.Contains(o.PrimaryPersonId.Value)), ct))
            .OrderBy(o => o.Id).ToLookup(o => o.PrimaryPersonId!.Value);

        // People: copy the columns, append the new ones (in id order), then fold every changed person again.
        var added = rows.Where(r => f.PersonIndex(r.Id) < 0).Select(r => r.Id).Order().ToList();
        var n = f.PeopleCount + added.Count;
        var personId = Grow(f.PersonId, n);
        for (var k = 0; k < added.Count; k++) personId[f.PeopleCount + k] = added[k];
        var positionOfId = Grow(f.PositionOfId, Math.Max(f.PositionOfId.Length, added.Count == 0 ? 0 : added[^1] + 1), -1);
        for (var k = 0; k < added.Count; k++) positionOfId[added[k]] = f.PeopleCount + k;
        var created = Grow(f.PersonCreated, n); var channel = Grow(f.PersonChannel, n); var campaign = Grow(f.PersonCampaign, n);
        var source = Grow(f.PersonSource, n); var owner = Grow(f.PersonOwner, n); var account = Grow(f.PersonAccount, n);
        var persona = Grow(f.PersonPersona, n); var version = Grow(f.PersonVersion, n);
        var rejectedAt = Grow(f.RejectedAt, n); var rejectReason = Grow(f.RejectReason, n);
        var disqualifiedAt = Grow(f.DisqualifiedAt, n); var disqualifyReason = Grow(f.DisqualifyReason, n);
        var reached = f.Reached.Select(r => Grow(r, n)).ToArray();
        var touchStart = Grow(f.TouchStart, n); var touchEnd = Grow(f.TouchEnd, n);
        var stageStart = Grow(f.StageStart, n); var stageEnd = Grow(f.StageEnd, n);
        var domain = Grow(f.PersonDomain, n); var title = Grow(f.PersonTitle, n); var ownChannel = Grow(f.PersonOwnChannel, n);
        var (domains, titles) = (f.Domains.Clone(), f.Titles.Clone());
        var (versions, reasons, personaLabels, currencies) = (f.Versions.Clone(), f.Reasons.Clone(), f.Personas.Clone(), f.Currencies.Clone());
        var fold = new PersonFold(reached, version, rejectedAt, rejectReason, disqualifiedAt, disqualifyReason, versions, reasons);
        var accountIds = accounts.Select(a => a.Id).ToArray();
        var campaignIds = campaigns.Select(c => c.Id).ToArray();

        var newTouches = rows.Sum(r => touches[r.Id].Count());
        var touchAt = f.TouchAt; var touchChannel = f.TouchChannel; var touchType = f.TouchType; var touchCampaign = f.TouchCampaign; var touchSub = f.TouchSub;
        if (Room(f.TouchUsed, newTouches, touchAt.Length) is { } more)
            (touchAt, touchChannel, touchType, touchCampaign, touchSub) = (Grow(touchAt, more), Grow(touchChannel, more), Grow(touchType, more), Grow(touchCampaign, more), Grow(touchSub, more));
        var newStages = rows.Sum(r => stages[r.Id].Count());
        var stageTicks = f.StageTicks; var stageTo = f.StageTo; var stageByDef = f.StageByDefinition; var stageReengage = f.StageReengage;
        if (Room(f.StageUsed, newStages, stageTicks.Length) is { } room)
            (stageTicks, stageTo, stageByDef, stageReengage) = (Grow(stageTicks, room), Grow(stageTo, room), Grow(stageByDef, room), Grow(stageReengage, room));
        var used = f.TouchUsed;
        var stagesUsed = f.StageUsed;
        var generation = f.Generation + 1;
        var personGeneration = Grow(f.PersonGeneration, n);
        var live = f.TouchLive;
        foreach (var p in rows)
        {
            var i = positionOfId[p.Id];
            created[i] = Clock.Of(p.CreatedAt);
            channel[i] = channels.Code(p.SourceChannel);
            campaign[i] = InsightLoader.IndexOf(campaignIds, p.SourceCampaignId);
            owner[i] = p.OwnerId ?? 0;
            account[i] = InsightLoader.IndexOf(accountIds, p.AccountId);
            persona[i] = personaLabels.Code(personas.Of(p.Title));
            (domain[i], title[i], ownChannel[i]) = (domains.Code(InsightLoader.DomainOf(p.Email)), p.Title is null ? -1 : titles.Code(p.Title), channel[i]);
            personGeneration[i] = generation;
            fold.Reset(i);
            stageStart[i] = stagesUsed;
            foreach (var s in stages[p.Id])
            {
                fold.Stage(i, s.To, s.At, s.Cause, s.Reason);
                (stageTicks[stagesUsed], stageTo[stagesUsed]) = (s.At.Ticks, s.To);
                (stageByDef[stagesUsed], stageReengage[stagesUsed++]) = (s.Cause.StartsWith(Lifecycle.Causes.DefinitionPrefix, StringComparison.Ordinal), s.ReengageAt?.Ticks ?? 0);
            }
            stageEnd[i] = stagesUsed;
            foreach (var o in deals[p.Id]) fold.Deal(i, o.Outcome, o.CreatedAt, o.ClosedAt);
            live -= i < f.PeopleCount ? f.TouchEnd[i] - f.TouchStart[i] : 0;
            touchStart[i] = used;
            foreach (var t in touches[p.Id])
            {
                (touchAt[used], touchSub[used], touchChannel[used], touchType[used]) = (Clock.Of(t.OccurredAt), Clock.Sub(t.OccurredAt), channels.Code(t.Channel), (byte)t.Type);
                touchCampaign[used++] = InsightLoader.IndexOf(campaignIds, t.CampaignId);
            }
            touchEnd[i] = used;
            live += used - touchStart[i];
            // A person's channel and campaign default to their first touch's when the record does not say.
            source[i] = InsightFacts.NoChannel;
            if (touchEnd[i] > touchStart[i])
            {
                var first = touchStart[i];
                source[i] = touchType[first];
                if (channel[i] == InsightFacts.NoChannel)
                {
                    channel[i] = touchChannel[first];
                    if (campaign[i] < 0) campaign[i] = touchCampaign[first];
                }
            }
        }

        // Opportunities: the changed ones (and the changed people's, whose account may have moved) replaced in place, new ones appended.
        changedOpps = [.. changedOpps.UnionBy(deals.SelectMany(g => g), o => o.Id)];
        var newOpps = changedOpps.Where(o => f.OppIndex(o.Id) < 0).OrderBy(o => o.Id).ToList();
        var m = f.OppCount + newOpps.Count;
        var oppId = Grow(f.OppId, m);
        for (var k = 0; k < newOpps.Count; k++) oppId[f.OppCount + k] = newOpps[k].Id;
        var oppPositionOfId = Grow(f.OppPositionOfId, Math.Max(f.OppPositionOfId.Length, newOpps.Count == 0 ? 0 : newOpps[^1].Id + 1), -1);
        for (var k = 0; k < newOpps.Count; k++) oppPositionOfId[newOpps[k].Id] = f.OppCount + k;
        var (oPerson, oAccount, oOwner, oAmount) = (Grow(f.OppPerson, m), Grow(f.OppAccount, m), Grow(f.OppOwner, m), Grow(f.OppAmount, m));
        var (oCurrency, oCreated, oClosed, oOutcome, oReason) = (Grow(f.OppCurrency, m), Grow(f.OppCreated, m), Grow(f.OppClosed, m), Grow(f.OppOutcome, m), Grow(f.OppReason, m));
        foreach (var o in changedOpps)
        {
            var j = oppPositionOfId[o.Id];
            var pi = o.PrimaryPersonId is { } pid && pid < positionOfId.Length ? positionOfId[pid] : -1;
            oPerson[j] = pi;
            var ai = InsightLoader.IndexOf(accountIds, o.AccountId);
            oAccount[j] = ai < 0 && pi >= 0 ? account[pi] : ai;
            (oOwner[j], oAmount[j], oCurrency[j]) = (o.OwnerId ?? 0, o.AmountMinor, currencies.Code(o.Currency.ToUpperInvariant()));
            (oCreated[j], oClosed[j], oOutcome[j]) = (Clock.Of(o.CreatedAt), o.Outcome == Data.Outcome.Open ? Clock.None : Clock.Of(o.ClosedAt), o.Outcome);
            oReason[j] = o.OutcomeReason is { Length: > 0 } r ? reasons.Code(Handoffs.Reasons.Label(r)!) : -1;
        }
        foreach (var c in campaigns) currencies.Code(c.Currency.ToUpperInvariant());

        // Ranges left behind by changed people are garbage; once they outweigh the live ones, copy the live ranges into new
        // arrays (a pass over the live rows, every time garbage doubles: amortized, and the old snapshot keeps its arrays).
        if (used > 2 * live + Compaction)
        {
            var slots = (int)(live + live / 4 + 1024);
            var (at2, ch2, ty2, ca2, su2) = (new int[slots], new byte[slots], new byte[slots], new int[slots], new int[slots]);
            var next = 0;
            for (var i = 0; i < n; i++)
            {
                var len = touchEnd[i] - touchStart[i];
                Array.Copy(touchAt, touchStart[i], at2, next, len); Array.Copy(touchChannel, touchStart[i], ch2, next, len);
                Array.Copy(touchType, touchStart[i], ty2, next, len); Array.Copy(touchCampaign, touchStart[i], ca2, next, len);
                Array.Copy(touchSub, touchStart[i], su2, next, len);
                (touchStart[i], touchEnd[i], next) = (next, next + len, next + len);
            }
            (touchAt, touchChannel, touchType, touchCampaign, touchSub, used) = (at2, ch2, ty2, ca2, su2, next);
        }
        var stagesLive = 0;
        for (var i = 0; i < n; i++) stagesLive += stageEnd[i] - stageStart[i];
        if (stagesUsed > 2 * stagesLive + Compaction)
        {
            var slots = stagesLive + stagesLive / 4 + 1024;
            var (tk2, to2, bd2, re2) = (new long[slots], new LifecycleStage[slots], new bool[slots], new long[slots]);
            var next = 0;
            for (var i = 0; i < n; i++)
            {
                var len = stageEnd[i] - stageStart[i];
                Array.Copy(stageTicks, stageStart[i], tk2, next, len); Array.Copy(stageTo, stageStart[i], to2, next, len);
                Array.Copy(stageByDef, stageStart[i], bd2, next, len); Array.Copy(stageReengage, stageStart[i], re2, next, len);
                (stageStart[i], stageEnd[i], next) = (next, next + len, next + len);
            }
            (stageTicks, stageTo, stageByDef, stageReengage, stagesUsed) = (tk2, to2, bd2, re2, next);
        }

        return new InsightFacts
        {
            BuiltAt = db.UtcNow, Position = d.To,
            PersonId = personId, PositionOfId = positionOfId, PersonCreated = created, Reached = reached, PersonChannel = channel,
            PersonCampaign = campaign, PersonSource = source, PersonOwner = owner, PersonAccount = account, PersonPersona = persona,
            PersonVersion = version, RejectedAt = rejectedAt, RejectReason = rejectReason, DisqualifiedAt = disqualifiedAt, DisqualifyReason = disqualifyReason,
            TouchStart = touchStart, TouchEnd = touchEnd, TouchUsed = used, TouchLive = live,
            TouchAt = touchAt, TouchChannel = touchChannel, TouchType = touchType, TouchCampaign = touchCampaign, TouchSub = touchSub,
            StageStart = stageStart, StageEnd = stageEnd, StageUsed = stagesUsed, StageTicks = stageTicks, StageTo = stageTo,
            StageByDefinition = stageByDef, StageReengage = stageReengage,
            PersonDomain = domain, PersonTitle = title, PersonOwnChannel = ownChannel, Domains = domains, Titles = titles,
            Lineage = f.Lineage, Generation = generation, PersonGeneration = personGeneration,
            OppId = oppId, OppPositionOfId = oppPositionOfId, OppPerson = oPerson, OppAccount = oAccount, OppOwner = oOwner, OppAmount = oAmount,
            OppCurrency = oCurrency, OppCreated = oCreated, OppClosed = oClosed, OppOutcome = oOutcome, OppReason = oReason,
            Accounts = accounts, Campaigns = campaigns, Users = users, Channels = channels,
            Currencies = currencies, Reasons = reasons, Versions = versions, Personas = personaLabels,
        };
    }

    /// <summary>Null when <paramref name="adding"/> more slots fit; else the next capacity, a quarter bigger (the old snapshot keeps
    /// the old arrays).</summary>
    private static int? Room(int used, int adding, int capacity) =>
        used + adding <= capacity ? null : Math.Max(used + adding, capacity + capacity / 4 + 1024);

    /// <summary>Positions of a small table hold when the old ids are the start of the new list (rows only appended).</summary>
    private static bool KeepsPositions<T>(IEnumerable<T> before, IEnumerable<T> after) => after.Take(before.Count()).SequenceEqual(before);

    private static T[] Grow<T>(T[] a, int length, T fill = default!)
    {
        var copy = new T[length];
        Array.Copy(a, copy, Math.Min(a.Length, length));
        if (length > a.Length && !EqualityComparer<T>.Default.Equals(fill, default!)) Array.Fill(copy, fill, a.Length, length - a.Length);
        return copy;
    }

    /// <summary>Rows for a set of ids, in chunks (SQLite takes a bounded number of parameters well).</summary>
    private static async Task<List<T>> ByIdsAsync<T>(IEnumerable<int> ids, Func<List<int>, IQueryable<T>> query, CancellationToken ct)
    {
        var all = new List<T>();
        foreach (var chunk in ids.Chunk(Chunk)) all.AddRange(await query([.. chunk]).ToListAsync(ct));
        return all;
    }
}
