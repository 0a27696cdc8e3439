using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Campaigns;

namespace Tandem.Features.Import;

/// <summary>Campaigns update by externalId, else by exact name. Cost is a major-unit amount (12.50), stored in minor units.</summary>
internal sealed class CampaignImporter(ImportContext ctx) : EntityImporter(ctx)
{
    public override Type Stored => typeof(Campaigns.Campaign);

    public override IReadOnlyList<FieldDef> Fields { get; } =
        [new("externalId"), new("name", Required: true), new("channel"), new("cost"), new("currency"), new("startsAt"), new("endsAt")];

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        var index = new KeyIndex<Campaign>(c => c.ExternalId, c => c.Name).AddRange(await ImportContext.ExistingAsync(Db.Campaigns.OrderBy(c => c.Id),
            c => c.ExternalId, rows.Select(r => r.Text("externalId")), c => c.Name, rows.Select(r => r.Text("name")), ct));

        var written = new List<(Campaign Entity, Dictionary<string, string?> Props)>();
        foreach (var r in rows)
        {
            var (extId, name, channel) = (r.Text("externalId"), r.Text("name", required: true), r.Channel("channel", Ctx.Channels));
            Ctx.Once(r, extId);
            var (cost, currency, starts, ends) = (r.Number("cost"), r.Currency("currency"), r.Date("startsAt"), r.Date("endsAt"));
            var props = r.Properties();
            if (cost < 0) r.Fail("cost", "a cost cannot be negative");
            if (starts > ends) r.Fail("endsAt", "the campaign ends before it starts");
            if (!r.Ok) continue;

            var found = index.Find(extId, name);
            var c = found ?? index.Add(Db.Campaigns.Add(new Campaign { Name = name!, Channel = Channel.Other }).Entity);
            c.Name = name!;
            c.ExternalId = extId ?? c.ExternalId;
            if (r.Has("channel")) c.Channel = channel ?? Channel.Other;
            if (r.Has("cost")) c.CostMinor = Money.ToMinor(cost ?? 0);
            if (found is null || r.Has("currency")) c.Currency = Ctx.CurrencyOr(currency);
            if (r.Has("startsAt")) c.StartsAt = starts;
            if (r.Has("endsAt")) c.EndsAt = ends;
            index.Add(c);
            written.Add((c, props));
        }
        await Ctx.SaveAsync(written.Select(w => w.Entity), ct);
        await Ctx.WritePropertiesAsync(SubjectKind.Campaign, written.Select(w => (w.Entity.Id, w.Props)).ToList(), ct);
    }
}
