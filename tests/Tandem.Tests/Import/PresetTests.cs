using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>The presets (decision 0053): each product's sample exports under samples/presets import with no mapping file and
/// give the hand-counted figures of samples/presets/README.md.</summary>
public class PresetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ImportResult> ImportAsync(ImportHarness h, ImportEntity entity, string product, string file, string preset, string? userMap = null)
    {
        var map = ImportPresets.Load(preset);
        if (userMap is not null) map = map.Overlay(ImportMap.Parse(userMap, "mine.json"));
        await using var db = h.Open();
        var result = await Importer.RunAsync(db, new ImportRequest(entity, Path.Combine(Samples.Folder("presets"), product, file), map, false, false), ct: Ct);
        Assert.True(result.Committed, string.Join("\n", result.Errors));
        Assert.Empty(result.Errors);
        return result;
    }

    private static async Task<Dictionary<string, int>> CountAsync(ImportHarness h, Func<TandemDb, IQueryable<string>> keys) =>
        await h.QueryAsync(async db => (await keys(db).ToListAsync(Ct)).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()));

    private static string Figures(Dictionary<string, int> counts) => string.Join(", ", counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task HubSpot_exports_import_with_the_preset_alone(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await ImportAsync(h, ImportEntity.Accounts, "hubspot", "companies.csv", "hubspot-companies");
        await ImportAsync(h, ImportEntity.People, "hubspot", "contacts.csv", "hubspot-contacts");
        await ImportAsync(h, ImportEntity.Opportunities, "hubspot", "deals.csv", "hubspot-deals");

        Assert.Equal(3, await h.QueryAsync(db => db.Accounts.CountAsync(Ct)));
        Assert.Equal("Customer 2, Inquiry 3, MQL 1, SAL 1, SQL 1", Figures(await CountAsync(h, db => db.People.Select(p => p.Stage.ToString()))));
        Assert.Equal("Email 1, Organic 1, Other 1, PaidSearch 3, Referral 1, Social 1",
            Figures(await CountAsync(h, db => db.People.Select(p => p.SourceChannel.ToString()!))));
        // The source as the export said it is kept beside the channel, so per-source figures need no second import.
        Assert.Equal("Direct Traffic", await h.QueryAsync(db => db.CustomProperties
            .Where(c => c.SubjectKind == SubjectKind.Person && c.Name == "Original Source" && db.People.Any(p => p.Id == c.SubjectId && p.Email == "eva@fabrikam.example"))
            .Select(c => c.Value).SingleAsync(Ct)));
        Assert.Equal(7, await h.QueryAsync(db => db.People.CountAsync(p => p.AccountId != null, Ct))); // all but the free-mail address
        await AssertDealsAsync(h, "USD", won: 2, wonMinor: 16_800_050, lost: 1, open: 2, openMinor: 1_600_000);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Salesforce_report_exports_import_with_the_preset_alone(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await ImportAsync(h, ImportEntity.Accounts, "salesforce", "accounts.csv", "salesforce-accounts");
        await ImportAsync(h, ImportEntity.People, "salesforce", "leads.csv", "salesforce-leads");
        await ImportAsync(h, ImportEntity.People, "salesforce", "contacts.csv", "salesforce-contacts");
        await ImportAsync(h, ImportEntity.Opportunities, "salesforce", "opportunities.csv", "salesforce-opportunities");

        Assert.Equal("globex.example", await h.QueryAsync(db => db.Accounts.Where(a => a.Name == "Globex").Select(a => a.Domain).SingleAsync(Ct)));
        Assert.Equal("Disqualified 1, Inquiry 4, SAL 1, SQL 1", Figures(await CountAsync(h, db => db.People.Select(p => p.Stage.ToString()))));
        Assert.Equal("Event 1, Organic 1, Outbound 1, PaidSearch 1, Partner 1, Referral 1, Webinar 1",
            Figures(await CountAsync(h, db => db.People.Select(p => p.SourceChannel.ToString()!))));
        Assert.Equal(new DateTime(2026, 1, 15), await h.QueryAsync(db => db.People.Where(p => p.Email == "ivy@globex.example").Select(p => p.CreatedAt).SingleAsync(Ct)));
        await AssertDealsAsync(h, "USD", won: 1, wonMinor: 25_000_000, lost: 1, open: 1, openMinor: 9_000_000);
        Assert.Equal("Price", await h.QueryAsync(db => db.Opportunities.Where(o => o.Outcome == Outcome.Lost).Select(o => o.OutcomeReason).SingleAsync(Ct)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Pipedrive_exports_import_with_the_preset_alone(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await ImportAsync(h, ImportEntity.Accounts, "pipedrive", "organizations.csv", "pipedrive-organizations");
        await ImportAsync(h, ImportEntity.People, "pipedrive", "persons.csv", "pipedrive-persons");
        await ImportAsync(h, ImportEntity.Opportunities, "pipedrive", "deals.csv", "pipedrive-deals");

        Assert.Equal("Inquiry 3", Figures(await CountAsync(h, db => db.People.Select(p => p.Stage.ToString()))));
        Assert.Equal("PaidSearch 1, Referral 1, none 1", Figures(await CountAsync(h, db => db.People.Select(p => p.SourceChannel == null ? "none" : p.SourceChannel.ToString()!))));
        Assert.Equal(3, await h.QueryAsync(db => db.People.CountAsync(p => p.AccountId != null, Ct)));
        await AssertDealsAsync(h, "EUR", won: 1, wonMinor: 3_000_000, lost: 1, open: 1, openMinor: 4_500_000);
        Assert.Equal(new DateTime(2025, 12, 10, 16, 30, 0), await h.QueryAsync(db => db.Opportunities.Where(o => o.Outcome == Outcome.Won).Select(o => o.ClosedAt).SingleAsync(Ct)));
    }

    private static async Task AssertDealsAsync(ImportHarness h, string currency, int won, long wonMinor, int lost, int open, long openMinor)
    {
        var deals = await h.QueryAsync(db => db.Opportunities.AsNoTracking().ToListAsync(Ct));
        Assert.All(deals, d => Assert.Equal(currency, d.Currency));
        Assert.Equal(won, deals.Count(d => d.Outcome == Outcome.Won));
        Assert.Equal(wonMinor, deals.Where(d => d.Outcome == Outcome.Won).Sum(d => d.AmountMinor));
        Assert.Equal(lost, deals.Count(d => d.Outcome == Outcome.Lost));
        Assert.Equal(open, deals.Count(d => d.Outcome == Outcome.Open));
        Assert.Equal(openMinor, deals.Where(d => d.Outcome == Outcome.Open).Sum(d => d.AmountMinor));
        // One "Close Date" column: the expected close of open deals, the close date of closed ones.
        Assert.All(deals.Where(d => d.Outcome == Outcome.Open), d => { Assert.Null(d.ClosedAt); Assert.NotNull(d.ExpectedCloseAt); });
        Assert.All(deals.Where(d => d.Outcome != Outcome.Open), d => Assert.NotNull(d.ClosedAt));
        Assert.All(deals, d => Assert.NotNull(d.AccountId));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_user_starts_from_a_preset_and_overrides_one_column_and_one_value(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await ImportAsync(h, ImportEntity.Accounts, "hubspot", "companies.csv", "hubspot-companies");
        // This company calls a signed contract "Contract Sent" and wants the pipeline name as the sales stage.
        await ImportAsync(h, ImportEntity.Opportunities, "hubspot", "deals.csv", "hubspot-deals", """
            { "columns": { "Deal Stage": "outcome", "Pipeline": "salesStage" }, "values": { "outcome": { "Contract Sent": "Won" } } }
            """);
        var deals = await h.QueryAsync(db => db.Opportunities.AsNoTracking().ToListAsync(Ct));
        Assert.All(deals, d => Assert.Equal("Sales Pipeline", d.SalesStage));
        Assert.Equal(3, deals.Count(d => d.Outcome == Outcome.Won));
        Assert.Equal(new DateTime(2026, 4, 30), deals.Single(d => d.Name == "Fabrikam starter").ClosedAt);
    }

    [Fact]
    public void The_import_page_proposes_from_the_preset_then_the_header_then_a_property_and_its_mapping_file_loads_back()
    {
        string[] header = ["Record ID", "Deal Stage", "closed_at", "Region Code"];
        var proposed = ImportDrafts.Propose(header, ImportEntity.Opportunities, ImportPresets.Load("hubspot-deals"));
        Assert.Equal(["externalId", "salesStage,outcome", "closedAt", "properties.Region Code"], proposed);

        var draft = new ImportDraft(Guid.NewGuid(), "deals.csv", ImportEntity.Opportunities, "hubspot-deals", header, [], proposed, []);
        var loaded = ImportMap.Parse(ImportDrafts.MappingFile(draft), "deals.mapping.json");
        Assert.Equal("opportunities", loaded.Entity);
        Assert.False(loaded.OptionalColumns); // a later file without one of these columns is refused, not imported differently
        Assert.Equal(["salesStage", "outcome"], loaded.TargetsOf("Deal Stage"));
        Assert.Equal("Open", loaded.Values["outcome"][ImportMap.AnyOther]);
        Assert.Equal(["properties.Region Code"], loaded.TargetsOf("Region Code"));
    }

    [Fact]
    public void An_unknown_preset_lists_the_presets_there_are()
    {
        var e = Assert.Throws<ImportMapException>(() => ImportPresets.Load("hubspot-tickets"));
        Assert.Contains("there is no preset 'hubspot-tickets'", e.Message);
        Assert.Contains("pipedrive-deals", e.Message);
        Assert.Equal(10, ImportPresets.Names.Count);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_preset_for_deals_refuses_a_people_import_and_writes_nothing(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await using var db = h.Open();
        var result = await Importer.RunAsync(db, new ImportRequest(ImportEntity.People, Path.Combine(Samples.Folder("presets"), "hubspot", "deals.csv"),
            ImportPresets.Load("hubspot-deals"), false, false), ct: Ct);
        Assert.False(result.Committed);
        Assert.Contains(result.Errors, e => e.ToString().Contains("the mapping is for opportunities, not people"));
        Assert.Equal(0, await h.QueryAsync(d => d.People.CountAsync(Ct)));
    }
}
