using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.People;

namespace Tandem.Features.Touches;

/// <summary>
/// Stores batches of touches: validates each item, creates the people it does not know, and inserts touches
/// idempotently by event id. Everything for one batch commits together. Items with errors are reported
/// and skipped; valid items in the same batch are stored (like HubSpot's and Segment's batch APIs).
/// </summary>
public sealed class TouchIngestor(TandemDb db, KnownPeople? known = null)
{
    public const int MaxBatch = 10_000;

    public async Task<BatchResult> IngestAsync(IReadOnlyList<TouchInput> batch, CancellationToken ct = default)
    {
        var now = db.UtcNow;
        var errors = new List<TouchError>();
        var valid = new List<ValidTouch>(batch.Count);
        var channels = await Channels.ChannelSet.LoadAsync(db, ct);
        for (var i = 0; i < batch.Count; i++)
            if (TouchValidation.TryValidate(i, batch[i], now, channels, errors, out var v)) valid.Add(v);

        var campaigns = await ResolveCampaignsAsync(valid, errors, ct);
        valid.RemoveAll(v => v.Campaign is not null && !campaigns.ContainsKey(v.Campaign));

        // One transaction for the batch; on PostgreSQL a deadlock or serialization failure runs it again from here (decision 0052).
        return await TransientRetry.InTransactionAsync(db, async token =>
        {
            var (people, created) = await ResolvePeopleAsync(valid, campaigns, now, token);
            // A person the batch could not create (an email another person's id already holds, say) is an error, not a crash.
            var unresolved = valid.Where(v => !people.ContainsKey(v.Index)).ToList();
            foreach (var v in unresolved)
                errors.Add(new TouchError(v.Index, v.EventId, "personExternalId",
                    $"No person could be found or created for id '{v.ExternalId}' and email '{v.Email}': the email belongs to a person with another id."));
            var rows = valid.Where(v => people.ContainsKey(v.Index)).Select(v =>
            {
                (int Id, Channel Channel)? campaign = v.Campaign is null ? null : campaigns[v.Campaign];
                return new TouchRow(v.EventId, people[v.Index], v.Type, v.Channel ?? campaign!.Value.Channel, campaign?.Id, v.OccurredAt, now, v.Properties);
            }).ToList();
            var inserted = await TouchWriter.InsertAsync(db, rows, token);
            var stored = rows.Where((_, i) => inserted[i]).ToList();
            // Scoring and automatic MQL commit with the touches: a retried batch finds them stored and scores nothing twice.
            var mqls = await Lifecycle.Transitions.AfterTouchesAsync(db,
                [.. stored.Select(r => Agreement.LeadEngine.Touch(r.PersonId, r.OccurredAt, r.Type, r.Channel, r.CampaignId, r.EventId))], token);
            return new BatchResult(batch.Count, stored.Count, rows.Count - stored.Count, created, errors.OrderBy(e => e.Index).ToList()) { Mqls = mqls };
        }, ct);
    }

    private async Task<Dictionary<string, (int Id, Channel Channel)>> ResolveCampaignsAsync(List<ValidTouch> valid, List<TouchError> errors, CancellationToken ct)
    {
        var names = valid.Where(v => v.Campaign is not null).Select(v => v.Campaign!).Distinct().ToList();
        var found = new Dictionary<string, (int, Channel)>(StringComparer.Ordinal);
        if (names.Count == 0) return found;
        var rows = await db.Campaigns.AsNoTracking()
            .Where(c => (c.ExternalId != null && names.Contains(c.ExternalId)) || names.Contains(c.Name))
            .Select(c => new { c.Id, c.ExternalId, c.Name, c.Channel }).ToListAsync(ct);
        foreach (var name in names)
        {
            var match = rows.FirstOrDefault(r => r.ExternalId == name) ?? rows.FirstOrDefault(r => r.Name == name);
            if (match is not null) found[name] = (match.Id, match.Channel);
        }
        foreach (var v in valid.Where(v => v.Campaign is not null && !found.ContainsKey(v.Campaign)))
            errors.Add(new TouchError(v.Index, v.EventId, "campaign", $"Campaign '{v.Campaign}' does not exist (matched by externalId, then name)."));
        return found;
    }

    /// <summary>
    /// Finds each touch's person: by external id first (the sender's own key), then by email; creates the people neither
    /// finds. A touch that names both links to whichever person the id finds and never rewrites that person's email
    /// (decision 0095: identity changes come from imports and the API, not from events).
    /// </summary>
    private async Task<(Dictionary<int, int> ByIndex, int Created)> ResolvePeopleAsync(List<ValidTouch> valid,
        Dictionary<string, (int Id, Channel Channel)> campaigns, DateTime now, CancellationToken ct)
    {
        var byId = await RawSql.LookupAsync(db, "people", "ExternalId", valid.Where(v => v.ExternalId is not null && known?.ById.ContainsKey(v.ExternalId) != true)
            .Select(v => v.ExternalId!).ToHashSet(StringComparer.Ordinal), ct);
        if (known is not null)
            foreach (var v in valid)
                if (v.ExternalId is { } x && known.ById.TryGetValue(x, out var id)) byId[x] = id;
        var byEmail = await RawSql.LookupAsync(db, "people", "Email",
            valid.Where(v => v.Email is not null && (v.ExternalId is null || !byId.ContainsKey(v.ExternalId)) && known?.ByEmail.ContainsKey(v.Email) != true)
                .Select(v => v.Email!).ToHashSet(StringComparer.Ordinal), ct);
        if (known is not null)
            foreach (var v in valid)
                if (v.Email is { } e && known.ByEmail.TryGetValue(e, out var id)) byEmail.TryAdd(e, id);
        int? Find(ValidTouch v) => v.ExternalId is { } x && byId.TryGetValue(x, out var a) ? a : v.Email is { } e && byEmail.TryGetValue(e, out var b) ? b : null;

        // A new person's source is their earliest touch in this batch.
        var fresh = valid.Where(v => Find(v) is null).GroupBy(v => v.ExternalId is { } x ? "id:" + x : "email:" + v.Email)
            .Select(g => g.MinBy(v => v.OccurredAt)).ToList();
        var created = 0;
        if (fresh.Count > 0)
        {
            var domains = fresh.Where(v => v.Email is not null).Select(v => EmailAddress.Domain(v.Email!)).ToHashSet(StringComparer.Ordinal);
            var accounts = await RawSql.LookupAsync(db, "accounts", "Domain", domains, ct);
            var mine = await PersonWriter.InsertAsync(db, [.. fresh.Select(v =>
            {
                var campaign = v.Campaign is null ? ((int Id, Channel Channel)?)null : campaigns[v.Campaign];
                return new NewPerson(v.Email, v.ExternalId, v.FirstName, v.LastName, v.OccurredAt, v.Channel ?? campaign?.Channel, campaign?.Id,
                    v.Email is not null && accounts.TryGetValue(EmailAddress.Domain(v.Email), out var a) ? a : null);
            })], now, ct);
            created = mine.Count;
            foreach (var (p, id) in mine)
            {
                if (p.ExternalId is not null) byId[p.ExternalId] = id;
                if (p.Email is not null) byEmail.TryAdd(p.Email, id);
            }
            // Only the few someone else created since the lookups above (or whose key another new row took) are read back.
            var missing = fresh.Where(v => Find(v) is null).ToList();
            if (missing.Count > 0)
            {
                foreach (var (x, id) in await RawSql.LookupAsync(db, "people", "ExternalId",
                             missing.Where(v => v.ExternalId is not null).Select(v => v.ExternalId!).ToHashSet(StringComparer.Ordinal), ct)) byId[x] = id;
                foreach (var (e, id) in await RawSql.LookupAsync(db, "people", "Email",
                             missing.Where(v => v.Email is not null).Select(v => v.Email!).ToHashSet(StringComparer.Ordinal), ct)) byEmail.TryAdd(e, id);
            }
        }
        var found = new Dictionary<int, int>(valid.Count);
        foreach (var v in valid) if (Find(v) is { } id) found[v.Index] = id;
        if (known is not null)
        {
            foreach (var (x, id) in byId) known.ById.TryAdd(x, id);
            foreach (var (e, id) in byEmail) known.ByEmail.TryAdd(e, id);
        }
        return (found, created);
    }
}

/// <summary>
/// People already found or created, by external id and email, for a caller that sends many batches in one transaction (a
/// touches import; decision 0096): a file names the same people again and again, and looking each up once per batch cost as
/// much as inserting the touches. Valid only within that transaction.
/// </summary>
public sealed class KnownPeople
{
    public Dictionary<string, int> ById { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> ByEmail { get; } = new(StringComparer.Ordinal);
}
