using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Accounts;
using Tandem.Features.People;

namespace Tandem.Features.Touches;

/// <summary>
/// Stores batches of touches: validates each item, creates people for unknown emails, and inserts touches
/// idempotently by event id. Everything for one batch commits together. Items with errors are reported
/// and skipped; valid items in the same batch are stored (like HubSpot's and Segment's batch APIs).
/// </summary>
public sealed class TouchIngestor(TandemDb db)
{
    public const int MaxBatch = 10_000;

    public async Task<BatchResult> IngestAsync(IReadOnlyList<TouchInput> batch, CancellationToken ct = default)
    {
        var now = db.UtcNow;
        var errors = new List<TouchError>();
        var valid = new List<ValidTouch>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
            if (TouchValidation.TryValidate(i, batch[i], now, errors, out var v)) valid.Add(v);

        var campaigns = await ResolveCampaignsAsync(valid, errors, ct);
        valid.RemoveAll(v => v.Campaign is not null && !campaigns.ContainsKey(v.Campaign));

        // One transaction for the batch; on PostgreSQL a deadlock or serialization failure runs it again from here (decision 0052).
        return await TransientRetry.InTransactionAsync(db, async token =>
        {
            var (people, created) = await ResolvePeopleAsync(valid, campaigns, now, token);
            var rows = valid.Select(v =>
            {
                (int Id, Channel Channel)? campaign = v.Campaign is null ? null : campaigns[v.Campaign];
                return new TouchRow(v.EventId, people[v.Email], v.Type, v.Channel ?? campaign!.Value.Channel, campaign?.Id, v.OccurredAt, now, v.Properties);
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

    private async Task<(Dictionary<string, int> Ids, int Created)> ResolvePeopleAsync(List<ValidTouch> valid,
        Dictionary<string, (int Id, Channel Channel)> campaigns, DateTime now, CancellationToken ct)
    {
        var ids = await RawSql.LookupAsync(db, "people", "Email", valid.Select(v => v.Email).ToHashSet(StringComparer.Ordinal), ct);

        // A new person's source is their earliest touch in this batch.
        var fresh = valid.Where(v => !ids.ContainsKey(v.Email)).GroupBy(v => v.Email)
            .Select(g => g.MinBy(v => v.OccurredAt)).ToList();
        if (fresh.Count == 0) return (ids, 0);

        var accounts = await RawSql.LookupAsync(db, "accounts", "Domain", fresh.Select(v => EmailAddress.Domain(v.Email)).ToHashSet(StringComparer.Ordinal), ct);
        var created = await PersonWriter.InsertAsync(db, [.. fresh.Select(v =>
        {
            var campaign = v.Campaign is null ? ((int Id, Channel Channel)?)null : campaigns[v.Campaign];
            return new NewPerson(v.Email, v.FirstName, v.LastName, v.OccurredAt, v.Channel ?? campaign?.Channel, campaign?.Id,
                accounts.TryGetValue(EmailAddress.Domain(v.Email), out var a) ? a : null);
        })], now, ct);
        foreach (var (email, id) in created) ids[email] = id;
        // Someone else may have created a few of them since the lookup above; their ids are read back.
        if (created.Count < fresh.Count)
            foreach (var (email, id) in await RawSql.LookupAsync(db, "people", "Email", [.. fresh.Select(v => v.Email).Where(e => !ids.ContainsKey(e))], ct))
                ids[email] = id;
        return (ids, created.Count);
    }
}
