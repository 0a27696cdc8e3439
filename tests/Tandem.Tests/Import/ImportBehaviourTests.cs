using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Import;

namespace Tandem.Tests.Import;

/// <summary>Transactions, dry runs, skipping invalid rows, and re-imports.</summary>
public class ImportBehaviourTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Reimporting_the_same_file_updates_by_external_id_and_never_duplicates(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var path = h.Write("p.csv", Samples.Pipeline);
        var first = await h.ImportAsync(ImportEntity.Opportunities, path, Samples.PipelineMap);
        Assert.Equal((3, 0, 0), (first.Created, first.Updated, first.Unchanged));

        var again = await h.ImportAsync(ImportEntity.Opportunities, path, Samples.PipelineMap);
        Assert.True(again.Committed);
        Assert.Equal((0, 0, 3), (again.Created, again.Updated, again.Unchanged));
        Assert.Equal(3, await h.QueryAsync(db => db.Opportunities.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(3, await h.QueryAsync(db => db.OpportunityStageChanges.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(3, await h.QueryAsync(db => db.CustomProperties.CountAsync(p => p.SubjectKind == SubjectKind.Opportunity, TestContext.Current.CancellationToken)));

        // The deal moves on in the CRM: the next export updates it and adds to its stage history.
        var moved = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", Samples.Pipeline.Replace("Prospecting,,,", "Engaging,2017-01-02,,")), Samples.PipelineMap);
        Assert.Equal((0, 1, 2), (moved.Created, moved.Updated, moved.Unchanged));
        var history = await h.QueryAsync(db => db.OpportunityStageChanges.Where(s => s.From == "Prospecting").ToListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Engaging", Assert.Single(history).To);
        Assert.Equal(2, await h.QueryAsync(db => db.Accounts.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Opportunity_amounts_dates_stages_and_properties_are_stored_as_mapped(string provider)
    {
        await using var h = await Samples.WithAccountsAndUsersAsync(provider);
        var r = await h.ImportAsync(ImportEntity.Opportunities, h.Write("p.csv", Samples.Pipeline), Samples.PipelineMap);
        Assert.True(r.Committed, string.Join('\n', r.Errors));

        await using var db = h.Open();
        var won = await db.Opportunities.SingleAsync(o => o.ExternalId == "1C1I7A6R", TestContext.Current.CancellationToken);
        Assert.Equal((105400L, "USD", "Won", Outcome.Won), (won.AmountMinor, won.Currency, won.SalesStage, won.Outcome));
        Assert.Equal((new DateTime(2016, 10, 20), new DateTime(2017, 3, 1)), (won.CreatedAt, won.ClosedAt));
        Assert.Equal(await db.Users.Where(u => u.Name == "Moses Frase").Select(u => (int?)u.Id).SingleAsync(TestContext.Current.CancellationToken), won.OwnerId);
        var open = await db.Opportunities.SingleAsync(o => o.ExternalId == "EC4QE1BX", TestContext.Current.CancellationToken);
        Assert.Equal((Outcome.Open, (DateTime?)null, (int?)null), (open.Outcome, open.CreatedAt, open.AccountId));
        var pro = await db.Opportunities.SingleAsync(o => o.ExternalId == "Z063OYW0", TestContext.Current.CancellationToken);
        Assert.Equal("GTX Pro", await db.CustomProperties.Where(p => p.SubjectKind == SubjectKind.Opportunity && p.SubjectId == pro.Id && p.Name == "product").Select(p => p.Value).SingleAsync(TestContext.Current.CancellationToken));
        var change = await db.OpportunityStageChanges.SingleAsync(s => s.OpportunityId == won.Id, TestContext.Current.CancellationToken);
        Assert.Equal((null, "Won", new DateTime(2017, 3, 1), "import"), (change.From, change.To, change.At, change.Actor));

        var acme = await db.Accounts.SingleAsync(a => a.ExternalId == "Acme Corporation", TestContext.Current.CancellationToken);
        Assert.Equal(("technology", 1_100_040_000L, 2822), (acme.Industry, acme.AnnualRevenue, acme.EmployeeCount));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Dry_run_checks_everything_and_writes_nothing(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var r = await h.ImportAsync(ImportEntity.Accounts, h.Write("a.csv", Samples.Accounts), Samples.AccountsMap, dryRun: true);

        Assert.False(r.Committed);
        Assert.Equal((2, 2, 0), (r.Rows, r.Created, r.ErrorCount));
        Assert.Equal(0, await h.QueryAsync(db => db.Accounts.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(0, await h.QueryAsync(db => db.Activity.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Skip_invalid_imports_the_valid_rows_and_reports_the_others(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        var path = h.Write("people.csv", "email,first_name\nann@acme.com,Ann\nnot-an-email,Bob\ncat@acme.com,Cat\n");
        var r = await h.ImportAsync(ImportEntity.People, path, skipInvalid: true);

        Assert.True(r.Committed);
        Assert.Equal((3, 2, 1), (r.Rows, r.Created, r.InvalidRows));
        Assert.Equal(3, Assert.Single(r.Errors).Line);
        Assert.Equal(["ann@acme.com", "cat@acme.com"], await h.QueryAsync(db => db.People.OrderBy(p => p.Email).Select(p => p.Email).ToListAsync(TestContext.Current.CancellationToken)));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_completed_import_writes_one_summary_activity_row_as_import(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        await h.ImportAsync(ImportEntity.Accounts, h.Write("a.csv", Samples.Accounts), Samples.AccountsMap);

        await using var db = h.Open();
        var summary = await db.Activity.SingleAsync(a => a.Kind == "import.completed", TestContext.Current.CancellationToken);
        Assert.Equal(("import", SubjectKind.Import), (summary.Actor, summary.SubjectKind));
        using var detail = JsonDocument.Parse(summary.Detail!);
        Assert.Equal("a.csv", detail.RootElement.GetProperty("file").GetString());
        Assert.Equal(2, detail.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(2, await db.Activity.CountAsync(a => a.Kind == "account.created" && a.Actor == "import", TestContext.Current.CancellationToken));
    }
}
