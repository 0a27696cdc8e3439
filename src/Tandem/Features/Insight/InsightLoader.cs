using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Tandem.Data;
using Tandem.Features.Channels;

namespace Tandem.Features.Insight;

/// <summary>
/// Reads the database once into <see cref="InsightFacts"/>. Every big table is read in id (or person) order with a
/// narrow projection, so the load streams and never holds entities; touches and stage changes are walked with a
/// cursor over the people, which are sorted by id.
/// </summary>
public static class InsightLoader
{
    public static async Task<InsightFacts> LoadAsync(TandemDb db, Personas personas, CancellationToken ct)
    {
        // The position is read first: a change committed during the load is applied again by the next update, which is harmless
        // (updates recompute whole people from the database), while one read later could be missed.
        var mark = await Data.Feed.ChangeFeed.HeadAsync(db, ct);
        var q = db.ChangeTracker.QueryTrackingBehavior;
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        try
        {
            return await LoadCoreAsync(db, personas, mark, ct);
        }
        finally
        {
            db.ChangeTracker.QueryTrackingBehavior = q;
        }
    }

    private static async Task<InsightFacts> LoadCoreAsync(TandemDb db, Personas personas, long mark, CancellationToken ct)
    {
        var users = await UsersAsync(db, ct);
        var accounts = await AccountsAsync(db, ct);
        var accountIds = accounts.Select(a => a.Id).ToArray();
        var campaigns = await db.Campaigns.OrderBy(c => c.Id)
            .Select(c => new InsightCampaign(c.Id, c.Name, c.Channel, c.CostMinor, c.Currency, c.StartsAt, c.EndsAt)).ToArrayAsync(ct);
        var campaignIds = campaigns.Select(c => c.Id).ToArray();
        var channels = await ChannelSet.LoadAsync(db, ct);

        var personaLabels = new Labels();
        var personaOfTitle = new Dictionary<string, int>(StringComparer.Ordinal);
        // Sized from counts up front: growing by doubling would hold up to twice the final arrays during the load.
        var nPeople = await db.People.CountAsync(ct);
        var ids = new Grow<int>(nPeople); var created = new Grow<int>(nPeople); var channel = new Grow<byte>(nPeople);
        var campaign = new Grow<int>(nPeople); var owner = new Grow<int>(nPeople); var account = new Grow<int>(nPeople); var persona = new Grow<int>(nPeople);
        var domain = new Grow<int>(nPeople); var titleCode = new Grow<int>(nPeople);
        var (domains, titles) = (new Labels(), new Labels());
        await foreach (var p in db.People.OrderBy(p => p.Id)
                           .Select(p => new { p.Id, p.CreatedAt, p.SourceChannel, p.SourceCampaignId, p.OwnerId, p.AccountId, p.Title, p.Email })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            domain.Add(domains.Code(DomainOf(p.Email)));
            titleCode.Add(p.Title is null ? -1 : titles.Code(p.Title));
            ids.Add(p.Id);
            created.Add(Clock.Of(p.CreatedAt));
            channel.Add(channels.Code(p.SourceChannel));
            campaign.Add(IndexOf(campaignIds, p.SourceCampaignId));
            owner.Add(p.OwnerId ?? 0);
            account.Add(IndexOf(accountIds, p.AccountId));
            var title = p.Title ?? "";
            if (!personaOfTitle.TryGetValue(title, out var code))
                personaOfTitle[title] = code = personaLabels.Code(personas.Of(p.Title));
            persona.Add(code);
        }
        var personIds = ids.ToArray();
        var n = personIds.Length;
        var reached = new int[InsightFacts.Stages][];
        for (var s = 0; s < reached.Length; s++) reached[s] = Filled(n, Clock.None);
        var versions = new Labels();
        var reasons = new Labels();
        var version = new int[n];
        var rejectedAt = Filled(n, Clock.None); var rejectReason = new int[n];
        var disqualifiedAt = Filled(n, Clock.None); var disqualifyReason = new int[n];
        var fold = new PersonFold(reached, version, rejectedAt, rejectReason, disqualifiedAt, disqualifyReason, versions, reasons);
        Array.Fill(version, fold.NoVersion);

        var cursor = 0;
        var stageStart = new int[n + 1];
        var nStages = await db.StageChanges.CountAsync(ct);
        var sTicks = new Grow<long>(nStages); var sTo = new Grow<LifecycleStage>(nStages); var sByDef = new Grow<bool>(nStages); var sReengage = new Grow<long>(nStages);
        await foreach (var s in db.StageChanges.OrderBy(s => s.PersonId).ThenBy(s => s.At).ThenBy(s => s.Id)
                           .Select(s => new { s.PersonId, s.To, s.At, s.Cause, s.Reason, s.ReengageAt }).AsAsyncEnumerable().WithCancellation(ct))
        {
            while (cursor < n && personIds[cursor] < s.PersonId) stageStart[++cursor] = sTicks.Count;
            if (cursor == n || personIds[cursor] != s.PersonId) continue;
            fold.Stage(cursor, s.To, s.At, s.Cause, s.Reason);
            AddStage(sTicks, sTo, sByDef, sReengage, s.At, s.To, s.Cause, s.ReengageAt);
            stageStart[cursor + 1] = sTicks.Count;
        }
        for (var i = cursor + 1; i <= n; i++) stageStart[i] = Math.Max(stageStart[i], stageStart[i - 1]);

        var touchStart = new int[n + 1];
        var nTouches = await db.Touches.CountAsync(ct);
        var tAt = new Grow<int>(nTouches); var tChannel = new Grow<byte>(nTouches); var tType = new Grow<byte>(nTouches); var tCampaign = new Grow<int>(nTouches);
        var tSub = new Grow<int>(nTouches);
        cursor = 0;
        await foreach (var t in db.Touches.OrderBy(t => t.PersonId).ThenBy(t => t.OccurredAt).ThenBy(t => t.Id)
                           .Select(t => new { t.PersonId, t.OccurredAt, t.Channel, t.Type, t.CampaignId }).AsAsyncEnumerable().WithCancellation(ct))
        {
            while (cursor < n && personIds[cursor] < t.PersonId) touchStart[++cursor] = tAt.Count;
            if (cursor == n || personIds[cursor] != t.PersonId) continue;
            tAt.Add(Clock.Of(t.OccurredAt));
            tSub.Add(Clock.Sub(t.OccurredAt));
            tChannel.Add(channels.Code(t.Channel));
            tType.Add((byte)t.Type);
            tCampaign.Add(IndexOf(campaignIds, t.CampaignId));
            touchStart[cursor + 1] = tAt.Count;
        }
        for (var i = cursor + 1; i <= n; i++) touchStart[i] = Math.Max(touchStart[i], touchStart[i - 1]);
        var touchEnd = touchStart[1..];

        // A person's channel and campaign default to their first touch's when the record does not say.
        var personChannel = channel.ToArray();
        var personCampaign = campaign.ToArray();
        var source = new byte[n];
        var touchChannel = tChannel.ToArray(); var touchType = tType.ToArray(); var touchCampaign = tCampaign.ToArray();
        for (var i = 0; i < n; i++)
        {
            var first = touchStart[i];
            if (first == touchStart[i + 1]) { source[i] = InsightFacts.NoChannel; continue; }
            source[i] = touchType[first];
            if (personChannel[i] == InsightFacts.NoChannel)
            {
                personChannel[i] = touchChannel[first];
                if (personCampaign[i] < 0) personCampaign[i] = touchCampaign[first];
            }
        }

        var currencies = new Labels();
        var oId = new Grow<int>(); var oPerson = new Grow<int>(); var oAccount = new Grow<int>(); var oOwner = new Grow<int>();
        var oAmount = new Grow<long>(); var oCurrency = new Grow<int>(); var oCreated = new Grow<int>(); var oClosed = new Grow<int>();
        var oOutcome = new Grow<Outcome>(); var oReason = new Grow<int>();
        await foreach (var o in db.Opportunities.OrderBy(o => o.Id)
                           .Select(o => new { o.Id, o.PrimaryPersonId, o.AccountId, o.OwnerId, o.AmountMinor, o.Currency, o.CreatedAt, o.ClosedAt, o.Outcome, o.OutcomeReason })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            oId.Add(o.Id);
            var pi = o.PrimaryPersonId is { } pid ? Array.BinarySearch(personIds, pid) : -1;
            oPerson.Add(pi < 0 ? -1 : pi);
            var ai = IndexOf(accountIds, o.AccountId);
            oAccount.Add(ai < 0 && pi >= 0 ? account.Items[pi] : ai);
            oOwner.Add(o.OwnerId ?? 0);
            oAmount.Add(o.AmountMinor);
            oCurrency.Add(currencies.Code(o.Currency.ToUpperInvariant()));
            oCreated.Add(Clock.Of(o.CreatedAt));
            oClosed.Add(o.Outcome == Outcome.Open ? Clock.None : Clock.Of(o.ClosedAt));
            oOutcome.Add(o.Outcome);
            oReason.Add(o.OutcomeReason is { Length: > 0 } r ? reasons.Code(Handoffs.Reasons.Label(r)!) : -1);
            if (pi >= 0) fold.Deal(pi, o.Outcome, o.CreatedAt, o.ClosedAt);
        }
        foreach (var c in campaigns) currencies.Code(c.Currency.ToUpperInvariant());

        return new InsightFacts
        {
            BuiltAt = db.UtcNow, Position = mark, Lineage = Guid.NewGuid(), Generation = 0, PersonGeneration = new int[n],
            PersonId = personIds, PositionOfId = InsightFacts.MapOfIds(personIds, n), PersonCreated = created.ToArray(), Reached = reached, PersonChannel = personChannel,
            PersonCampaign = personCampaign, PersonSource = source, PersonOwner = owner.ToArray(), PersonAccount = account.ToArray(),
            PersonPersona = persona.ToArray(), PersonVersion = version, RejectedAt = rejectedAt, RejectReason = rejectReason,
            DisqualifiedAt = disqualifiedAt, DisqualifyReason = disqualifyReason,
            TouchStart = touchStart[..n], TouchEnd = touchEnd, TouchUsed = tAt.Count, TouchLive = tAt.Count, TouchAt = tAt.ToArray(), TouchChannel = touchChannel, TouchType = touchType, TouchCampaign = touchCampaign,
            TouchSub = tSub.ToArray(), StageStart = stageStart[..n], StageEnd = stageStart[1..], StageUsed = sTicks.Count, StageTicks = sTicks.ToArray(),
            StageTo = sTo.ToArray(), StageByDefinition = sByDef.ToArray(), StageReengage = sReengage.ToArray(),
            PersonDomain = domain.ToArray(), PersonTitle = titleCode.ToArray(), PersonOwnChannel = channel.ToArray(), Domains = domains, Titles = titles,
            OppId = oId.ToArray(), OppPositionOfId = InsightFacts.MapOfIds(oId.Items, oId.Count), OppPerson = oPerson.ToArray(), OppAccount = oAccount.ToArray(), OppOwner = oOwner.ToArray(),
            OppAmount = oAmount.ToArray(), OppCurrency = oCurrency.ToArray(), OppCreated = oCreated.ToArray(), OppClosed = oClosed.ToArray(),
            OppOutcome = oOutcome.ToArray(), OppReason = oReason.ToArray(),
            Accounts = accounts, Campaigns = campaigns, Users = users, Channels = channels,
            Currencies = currencies, Reasons = reasons, Versions = versions, Personas = personaLabels,
        };
    }

    public static async Task<InsightAccount[]> AccountsAsync(TandemDb db, CancellationToken ct) =>
        [.. (await db.Accounts.AsNoTracking().OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.Industry, a.EmployeeCount, a.Region, a.AnnualRevenue, a.Country, a.Status }).ToListAsync(ct))
            .Select(a => new InsightAccount(a.Id, a.Industry, a.EmployeeCount, a.Region, a.AnnualRevenue, a.Country, a.Status.ToString()))];

    /// <summary>Only the domain of an email matters to fit rules (and it interns well).</summary>
    /// <summary>The email's domain; "" for a person known only by an external id.</summary>
    public static string DomainOf(string? email) => email is null ? "" : email[(email.LastIndexOf('@') + 1)..];

    /// <summary>One stage change in the what-if's columns.</summary>
    internal static void AddStage(Grow<long> ticks, Grow<LifecycleStage> to, Grow<bool> byDefinition, Grow<long> reengage, DateTime at,
        LifecycleStage stage, string cause, DateTime? reengageAt)
    {
        ticks.Add(at.Ticks);
        to.Add(stage);
        byDefinition.Add(cause.StartsWith(Lifecycle.Causes.DefinitionPrefix, StringComparison.Ordinal));
        reengage.Add(reengageAt?.Ticks ?? 0);
    }

    /// <summary>User id → name and team name.</summary>
    public static async Task<Dictionary<int, (string Name, string? Team)>> UsersAsync(TandemDb db, CancellationToken ct)
    {
        var teams = await db.Teams.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return (await db.Users.AsNoTracking().Select(u => new { u.Id, u.Name, u.TeamId }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => (u.Name, u.TeamId is { } t ? teams.GetValueOrDefault(t) : null));
    }

    public static int Rank(LifecycleStage s) => s switch
    {
        LifecycleStage.Inquiry => 0,
        LifecycleStage.MQL => 1,
        LifecycleStage.SAL => 2,
        LifecycleStage.SQL => 3,
        LifecycleStage.Customer => 4,
        _ => -1,
    };

    internal static int IndexOf(int[] sortedIds, int? id) => id is { } v && Array.BinarySearch(sortedIds, v) is var i and >= 0 ? i : -1;

    internal static int[] Filled(int n, int value)
    {
        var a = new int[n];
        Array.Fill(a, value);
        return a;
    }

    /// <summary>
    /// A growable array that hands back its exact-size contents: the buffer itself when it was sized right, so a load
    /// sized from a count makes no second copy. List&lt;T&gt; would do, but copies on ToArray.
    /// </summary>
    internal sealed class Grow<T>(int capacity = 1024)
    {
        public T[] Items = new T[Math.Max(1, capacity)];
        public int Count;

        public void Add(T item)
        {
            if (Count == Items.Length) Array.Resize(ref Items, Items.Length * 2);
            Items[Count++] = item;
        }

        public T[] ToArray() => Count == Items.Length ? Items : Items.AsSpan(0, Count).ToArray();
    }
}
