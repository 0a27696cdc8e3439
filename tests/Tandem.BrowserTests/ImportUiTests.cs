using System.Text;
using System.Text.RegularExpressions;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>The import page (issue 11, decision 0054): upload an export, map it, see the dry run's error, fix it, import.</summary>
public class ImportUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Contacts = """
        Record ID,First Name,Last Name,Email,Lifecycle Stage,Original Source,Create Date,Favourite colour
        701,Ada,Byron,ada@analytical.example,Lead,Organic Search,2025-04-01 08:00,blue
        702,Alan,Turing,alan@bletchley.example,Marketing Qualified Lead,Paid Search,2025-13-02 09:15,green
        703,Grace,Hopper,grace@cobol.example,Customer,Referrals,2025-06-03 10:30,red
        """;

    [Fact]
    public async Task A_marketer_uploads_maps_sees_the_error_fixes_it_and_imports()
    {
        var page = await app.NewPageAsync(Role.Marketing);
        await page.GotoAsync("/import");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import a CSV export" })).ToBeVisibleAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "contacts.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Contacts) });
        await page.Locator("select[name=entity]").SelectOptionAsync("people");
        await page.Locator("select[name=preset]").SelectOptionAsync("hubspot-contacts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload and map" }).ClickAsync();

        // The preset proposes each column; an unknown one becomes a custom property.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Map contacts.csv" })).ToBeVisibleAsync();
        await Expect(page.Locator("select[data-column='Email'] option:checked")).ToHaveTextAsync("Email");
        await Expect(page.Locator("select[data-column='Favourite colour'] option:checked")).ToHaveTextAsync("Custom property “Favourite colour”");
        await AppFixture.ScreenshotAsync(page, "import-map-1280");
        await page.SetViewportSizeAsync(390, 844);
        await AppFixture.ScreenshotAsync(page, "import-map-390");
        await page.SetViewportSizeAsync(1280, 860);

        // The dry run names the bad cell by file, line and column, and writes nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Check (dry run)" }).ClickAsync();
        await Expect(page.GetByTestId("outcome")).ToContainTextAsync("1 error in 1 row");
        await Expect(page.GetByTestId("errors")).ToContainTextAsync("contacts.csv:3:7 (Create Date): '2025-13-02 09:15' is not an ISO 8601 date");
        await AppFixture.ScreenshotAsync(page, "import-error");

        // The fix: leave the bad column out, check again, then import.
        await page.Locator("select[data-column='Create Date']").SelectOptionAsync("ignore");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check (dry run)" }).ClickAsync();
        await Expect(page.GetByTestId("outcome")).ToContainTextAsync("Checked 3 rows: no errors");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.GetByTestId("outcome")).ToContainTextAsync("Imported 3 rows: 3 created");
        await AppFixture.ScreenshotAsync(page, "import-done");

        // They are people now, with the stage the preset mapped.
        await page.GotoAsync("/people?q=grace%40cobol.example");
        await Expect(page.Locator("main")).ToContainTextAsync("Grace Hopper");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_sales_rep_has_no_import_page()
    {
        var page = await app.NewPageAsync(Role.SalesRep);
        await page.GotoAsync("/import");
        await Expect(page).ToHaveURLAsync(new Regex("denied|login", RegexOptions.IgnoreCase));
        await page.Context.CloseAsync();
    }
}
