using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>
/// Reads the database once into <see cref="InsightFacts"/>. Every big table is read in id (or person) order with a
/// narrow projection, so the load streams and never holds entities; touches and stage changes are walked with a
/// cursor over the people, which are sorted by id.
/// </summary>
public static class InsightLoader
{
    /// <summary>
    /// One round trip of index lookups: max ids of the growing tables (as long as the id is not cast), the last activity
    /// row (every edit through the API and every import writes one) and the small tables' last update. Custom
    /// properties are not counted here (a scan: 30 to 150 ms at a million rows, on every report); an import of them
    /// writes an activity row, and property-only edits through the API are counted by <see cref="TandemDb.PropertyWrites"/>.
    /// </summary>
    private const string WatermarkSql = """
        SELECT (SELECT MAX("Id") FROM people), (SELECT MAX("Id") FROM stage_changes), (SELECT MAX("Id") FROM touches),
               (SELECT MAX("Id") FROM opportunities), (SELECT MAX("Id") FROM opportunity_stage_changes), (SELECT MAX("Id") FROM activity),
               (SELECT MAX("UpdatedAt") FROM campaigns), (SELECT MAX("UpdatedAt") FROM users), (SELECT COUNT(*) FROM teams),
               (SELECT "Seq" FROM change_feed_head WHERE "Id" = 1)
        """;

    public static async Task<Watermark> WatermarkAsync(TandemDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = WatermarkSql;
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            var parts = new string[r.FieldCount];
            for (var i = 0; i < parts.Length; i++)
                parts[i] = r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            return new Watermark(string.Join('|', parts));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public static async Task<InsightFacts> LoadAsync(TandemDb db, Personas personas, CancellationToken ct)
    {
        var mark = await WatermarkAsync(db, ct);
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

    private static async Task<InsightFacts> LoadCoreAsync(TandemDb db, Personas personas, Watermark mark, CancellationToken ct)
    {
        var teams = await db.Teams.ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var users = (await db.Users.Select(u => new { u.Id, u.Name, u.TeamId }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => (u.Name, u.TeamId is { } t ? teams.GetValueOrDefault(t) : null));
        var accounts = await db.Accounts.OrderBy(a => a.Id)
            .Select(a => new InsightAccount(a.Id, a.Industry, a.EmployeeCount, a.Region)).ToArrayAsync(ct);
        var accountIds = accounts.Select(a => a.Id).ToArray();
        var campaigns = await db.Campaigns.OrderBy(c => c.Id)
            .Select(c => new InsightCampaign(c.Id, c.Name, c.Channel, c.CostMinor, c.Currency, c.StartsAt, c.EndsAt)).ToArrayAsync(ct);
        var campaignIds = campaigns.Select(c => c.Id).ToArray();

        var personaLabels = new Labels();
        var personaOfTitle = new Dictionary<string, int>(StringComparer.Ordinal);
        // Sized from counts up front: growing by doubling would hold up to twice the final arrays during the load.
        var nPeople = await db.People.CountAsync(ct);
        var ids = new Grow<int>(nPeople); var created = new Grow<int>(nPeople); var channel = new Grow<byte>(nPeople);
        var campaign = new Grow<int>(nPeople); var owner = new Grow<int>(nPeople); var account = new Grow<int>(nPeople); var persona = new Grow<int>(nPeople);
        await foreach (var p in db.People.OrderBy(p => p.Id)
                           .Select(p => new { p.Id, p.CreatedAt, p.SourceChannel, p.SourceCampaignId, p.OwnerId, p.AccountId, p.Title })
                           .AsAsyncEnumerable().WithCancellation(ct))
        {
            ids.Add(p.Id);
            created.Add(Clock.Of(p.CreatedAt));
            channel.Add(p.SourceChannel is { } c ? (byte)c : InsightFacts.NoChannel);
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
        var none = versions.Code("none");
        var version = new int[n];
        Array.Fill(version, none);
        var rejectedAt = Filled(n, Clock.None); var rejectReason = new int[n];
        var disqualifiedAt = Filled(n, Clock.None); var disqualifyReason = new int[n];

        var cursor = 0;
        await foreach (var s in db.StageChanges.OrderBy(s => s.PersonId).ThenBy(s => s.At).ThenBy(s => s.Id)
                           .Select(s => new { s.PersonId, s.To, s.At, s.Cause, s.Reason }).AsAsyncEnumerable().WithCancellation(ct))
        {
            while (cursor < n && personIds[cursor] < s.PersonId) cursor++;
            if (cursor == n || personIds[cursor] != s.PersonId) continue;
            var at = Clock.Of(s.At);
            Reach(reached, cursor, Rank(s.To), at);
            if (s.To == LifecycleStage.MQL && version[cursor] == none && s.Cause.StartsWith("definition:", StringComparison.Ordinal))
                version[cursor] = versions.Code(s.Cause["definition:".Length..]);
            if (s.Cause == "sla:reject" && rejectedAt[cursor] == Clock.None)
                (rejectedAt[cursor], rejectReason[cursor]) = (at, reasons.Code(s.Reason ?? "(no reason)"));
            if (s.To == LifecycleStage.Disqualified && disqualifiedAt[cursor] == Clock.None)
                (disqualifiedAt[cursor], disqualifyReason[cursor]) = (at, reasons.Code(s.Reason ?? "(no reason)"));
        }

        var touchStart = new int[n + 1];
        var nTouches = await db.Touches.CountAsync(ct);
        var tAt = new Grow<int>(nTouches); var tChannel = new Grow<byte>(nTouches); var tType = new Grow<byte>(nTouches); var tCampaign = new Grow<int>(nTouches);
        cursor = 0;
        await foreach (var t in db.Touches.OrderBy(t => t.PersonId).ThenBy(t => t.OccurredAt).ThenBy(t => t.Id)
                           .Select(t => new { t.PersonId, t.OccurredAt, t.Channel, t.Type, t.CampaignId }).AsAsyncEnumerable().WithCancellation(ct))
        {
            while (cursor < n && personIds[cursor] < t.PersonId) touchStart[++cursor] = tAt.Count;
            if (cursor == n || personIds[cursor] != t.PersonId) continue;
            tAt.Add(Clock.Of(t.OccurredAt));
            tChannel.Add((byte)t.Channel);
            tType.Add((byte)t.Type);
            tCampaign.Add(IndexOf(campaignIds, t.CampaignId));
            touchStart[cursor + 1] = tAt.Count;
        }
        for (var i = cursor + 1; i <= n; i++) touchStart[i] = Math.Max(touchStart[i], touchStart[i - 1]);

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
            oReason.Add(o.OutcomeReason is { Length: > 0 } r ? reasons.Code(r) : -1);
            // A deal is the record of SQL, a won deal of Customer (docs/metrics.md): people loaded from an export with
            // deals but no stage history still move down the funnel, dated by the deal.
            if (pi >= 0)
            {
                Reach(reached, pi, InsightFacts.SqlRank, Clock.Of(o.CreatedAt));
                if (o.Outcome == Outcome.Won) Reach(reached, pi, InsightFacts.CustomerRank, Clock.Of(o.ClosedAt));
            }
        }
        foreach (var c in campaigns) currencies.Code(c.Currency.ToUpperInvariant());

        return new InsightFacts
        {
            BuiltAt = db.UtcNow, Watermark = mark,
            PersonId = personIds, PersonCreated = created.ToArray(), Reached = reached, PersonChannel = personChannel,
            PersonCampaign = personCampaign, PersonSource = source, PersonOwner = owner.ToArray(), PersonAccount = account.ToArray(),
            PersonPersona = persona.ToArray(), PersonVersion = version, RejectedAt = rejectedAt, RejectReason = rejectReason,
            DisqualifiedAt = disqualifiedAt, DisqualifyReason = disqualifyReason,
            TouchStart = touchStart, TouchAt = tAt.ToArray(), TouchChannel = touchChannel, TouchType = touchType, TouchCampaign = touchCampaign,
            OppId = oId.ToArray(), OppPerson = oPerson.ToArray(), OppAccount = oAccount.ToArray(), OppOwner = oOwner.ToArray(),
            OppAmount = oAmount.ToArray(), OppCurrency = oCurrency.ToArray(), OppCreated = oCreated.ToArray(), OppClosed = oClosed.ToArray(),
            OppOutcome = oOutcome.ToArray(), OppReason = oReason.ToArray(),
            Accounts = accounts, Campaigns = campaigns, Users = users,
            Currencies = currencies, Reasons = reasons, Versions = versions, Personas = personaLabels,
        };
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

    /// <summary>
    /// "Reached stage k" means reached k or any later stage: skipping MQL still counts as having passed it. Keeps the
    /// earliest time per stage.
    /// </summary>
    private static void Reach(int[][] reached, int person, int rank, int at)
    {
        if (at == Clock.None) return;
        for (var k = 0; k <= rank; k++)
            if (reached[k][person] == Clock.None || at < reached[k][person]) reached[k][person] = at;
    }

    private static int IndexOf(int[] sortedIds, int? id) => id is { } v && Array.BinarySearch(sortedIds, v) is var i and >= 0 ? i : -1;

    private static int[] Filled(int n, int value)
    {
        var a = new int[n];
        Array.Fill(a, value);
        return a;
    }

    /// <summary>
    /// A growable array that hands back its exact-size contents: the buffer itself when it was sized right, so a load
    /// sized from a count makes no second copy. List&lt;T&gt; would do, but copies on ToArray.
    /// </summary>
    private sealed class Grow<T>(int capacity = 1024)
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
