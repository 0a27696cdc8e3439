using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Lifecycle;
using Tandem.Features.People;

namespace Tandem.Features.Import;

/// <summary>
/// People update by externalId, else by (normalized) email; a row needs one of the two (decision 0095). A later file
/// that brings an email for a person known only by id adds it; an empty email never removes one. Without an account
/// column the email's domain finds the account. A new person enters the stage the file gives (Inquiry by default) with
/// cause "import"; a changed stage on an existing person goes through the same rules as the API.
/// </summary>
internal sealed class PersonImporter(ImportContext ctx) : EntityImporter(ctx)
{
    public override Type Stored => typeof(People.Person);

    public override IReadOnlyList<FieldDef> Fields { get; } =
    [
        new("externalId", OneOf: "person"), new("email", OneOf: "person"), new("firstName"), new("lastName"), new("title"), new("phone"),
        new("account"), new("owner"), new("sourceChannel"), new("sourceCampaign"), new("stage"), new("stageReason"), new("createdAt"),
    ];

    public override async Task ImportBatchAsync(IReadOnlyList<RowValues> rows, CancellationToken ct)
    {
        await Ctx.Users.PrefetchAsync(rows.Select(r => r.Text("owner")), ct);
        await Ctx.Accounts.PrefetchAsync(rows.Select(r => r.Text("account")), ct);
        await Ctx.Campaigns.PrefetchAsync(rows.Select(r => r.Text("sourceCampaign")), ct);
        var parsed = rows.Select(r => (Row: r, Ext: r.Text("externalId"), Email: r.Email("email"))).ToList();
        var index = new KeyIndex<Person>(p => p.ExternalId, p => p.Email).AddRange(await Ctx.StoredAsync(Db.People, "people",
            ("ExternalId", parsed.Select(p => p.Ext)), ("Email", parsed.Select(p => p.Email))));
        var domains = await DomainsAsync(parsed.Select(p => p.Email).OfType<string>().Distinct().ToList(), ct);

        var written = new List<(Person Entity, Dictionary<string, string?> Props)>();
        var fresh = new List<(Person Person, StageChange Change)>();
        var mqls = new List<Person>();
        foreach (var (r, extId, email) in parsed)
        {
            Ctx.Once(r, extId);
            if (extId is null && email is null && r.Ok)
                r.Fail(r.Has("email") ? "email" : "externalId", "this row has neither an email nor an externalId: a person needs one of them");
            var (first, last, title, phone) = (r.Text("firstName"), r.Text("lastName"), r.Text("title"), r.Text("phone"));
            var (account, owner, channel) = (r.Ref("account", Ctx.Accounts), r.Ref("owner", Ctx.Users), r.Channel("sourceChannel", Ctx.Channels));
            var (campaign, stage, reason, created) = (r.Ref("sourceCampaign", Ctx.Campaigns), r.Enum<LifecycleStage>("stage"), r.Text("stageReason"), r.Date("createdAt"));
            var props = r.Properties();
            var p = index.Find(extId, email);
            if (email is not null && index.ByNatural(email) is { } holder && holder != p)
                r.Fail("email", $"'{email}' already belongs to another person ({(holder.ExternalId is { } other ? $"externalId '{other}'" : $"{holder.DisplayName}, who has no externalId")})");
            var movesToMql = r.Ok && p is not null && stage == LifecycleStage.MQL && p.Stage != LifecycleStage.MQL;
            if (r.Ok && p is not null && stage is { } to && to != p.Stage
                && await Transitions.ImportAsync(Db, p, to, reason, ImportContext.Actor, ct) is { } refused)
                r.Fail("stage", refused);
            if (!r.Ok) continue;

            if (p is null && !(stage == LifecycleStage.MQL && Ctx.Route))
            {
                // New and entering quietly: inserted in bulk after the loop (decision 0096). An MQL that goes to sales is routed
                // through the tracked path below, which hands the person to HandoffAssigner.
                p = index.Add(new Person { Email = email, CreatedAt = created ?? Ctx.Now });
                fresh.Add((p, Transitions.EnterNew(p, stage ?? LifecycleStage.Inquiry, created ?? Ctx.Now, EntrySource.Import, ImportContext.Actor, reason)));
            }
            else if (p is null)
            {
                p = index.Add(Db.People.Add(new Person { Email = email, CreatedAt = created ?? default }).Entity);
                Transitions.Enter(Db, p, stage ?? LifecycleStage.Inquiry, created ?? Ctx.Now, EntrySource.Import, ImportContext.Actor, reason);
                if (stage == LifecycleStage.MQL) mqls.Add(p);
            }
            else if (movesToMql) mqls.Add(p);
            if (email is not null) p.Email = email;
            p.ExternalId = extId ?? p.ExternalId;
            if (r.Has("firstName")) p.FirstName = first;
            if (r.Has("lastName")) p.LastName = last;
            if (r.Has("title")) p.Title = title;
            if (r.Has("phone")) p.Phone = phone;
            if (r.Has("account")) p.AccountId = account;
            if (account is null && p.AccountId is null && p.Email is not null && domains.TryGetValue(EmailAddress.Domain(p.Email), out var byDomain)) p.AccountId = byDomain;
            if (r.Has("owner")) p.OwnerId = owner;
            if (r.Has("sourceChannel")) p.SourceChannel = channel;
            if (r.Has("sourceCampaign")) p.SourceCampaignId = campaign;
            if (created is not null) p.CreatedAt = created.Value;
            index.Add(p);
            written.Add((p, props));
        }
        var isNew = fresh.Select(f => f.Person).ToHashSet(ReferenceEqualityComparer.Instance);
        await Ctx.SaveAsync(written.Select(w => w.Entity).Where(e => !isNew.Contains(e)), ct);
        await Ctx.InsertNewAsync(SubjectKind.Person, [.. fresh.Select(f => f.Person)], p => p.Id, ct);
        await StageWriter.EnterNewAsync(Db, fresh, ct);
        await Ctx.InsertPropertiesAsync(SubjectKind.Person, ImportContext.Merged(written.Where(w => isNew.Contains(w.Entity)).Select(w => (w.Entity.Id, w.Props))), ct);
        await Ctx.WritePropertiesAsync(SubjectKind.Person, written.Where(w => !isNew.Contains(w.Entity)).Select(w => (w.Entity.Id, w.Props)).ToList(), ct);
        // Every MQL goes to sales, an imported one too, unless the import loads history (--no-routing).
        if (Ctx.Route && mqls.Count > 0)
        {
            await Transitions.RouteAsync(Db, [.. mqls.Select(p => new Handoffs.NewMql(p, p.StageChangedAt, "Imported at MQL"))], null, ct);
            await Db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Accounts by email domain, the lowest id winning, like <see cref="Accounts.AccountMatch"/>.</summary>
    /// <remarks>Known for the whole import, misses too: a file of a million people names a few thousand domains, and this import
    /// creates no accounts (an account added meanwhile is matched by the next import).</remarks>
    private async Task<Dictionary<string, int>> DomainsAsync(List<string> emails, CancellationToken ct)
    {
        var domains = emails.Select(EmailAddress.Domain).Distinct().Where(d => !_askedDomains.Contains(d)).ToList();
        if (domains.Count == 0) return _domains;
        foreach (var a in await Db.Accounts.AsNoTracking().Where(a => a.Domain != null && domains.Contains(a.Domain))
                     .OrderBy(a => a.Id).Select(a => new { a.Domain, a.Id }).ToListAsync(ct))
            _domains.TryAdd(a.Domain!, a.Id);
        _askedDomains.UnionWith(domains);
        return _domains;
    }

    private readonly Dictionary<string, int> _domains = new(StringComparer.Ordinal);
    private readonly HashSet<string> _askedDomains = new(StringComparer.Ordinal);
}
