using System.Text.RegularExpressions;
using Tandem.Data;
using static Microsoft.Playwright.Assertions;

namespace Tandem.BrowserTests;

/// <summary>Signing in and out, and what each role sees, through the real pages.</summary>
public class AccessUiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_rep_sees_the_funnel_and_people_but_not_the_audit_log()
    {
        var page = await app.NewAnonymousPageAsync();
        await page.GotoAsync("/people");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=%2Fpeople$"));
        await AppFixture.SignInAsync(page, AppFixture.RepEmail, AppFixture.Password);

        await Expect(page).ToHaveURLAsync(new Regex("/people$"));
        await Expect(page.Locator(".total")).ToHaveTextAsync($"{SeedData.People} people");
        var panel = page.GetByTestId("user-panel");
        await Expect(panel).ToContainTextAsync(AppFixture.RepName);
        await Expect(panel).ToContainTextAsync("Sales rep");
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Funnel", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);

        var denied = await page.GotoAsync("/admin/audit");
        Assert.Equal(403, denied!.Status);
        await Expect(page).ToHaveURLAsync(new Regex("/account/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Expect(page.Locator(".denied")).ToContainTextAsync("Your role (Sales rep) cannot read the audit log.");
        await AppFixture.ScreenshotAsync(page, "denied");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_reads_the_audit_log_with_refused_attempts_marked()
    {
        // A refusal to find: the rep tries the admin page first.
        var rep = await app.NewPageAsync(Role.SalesRep);
        await rep.GotoAsync("/admin/keys");
        await rep.Context.CloseAsync();

        var page = await app.NewPageAsync(Role.Admin);
        await page.GotoAsync("/");
        await page.Locator("nav.sidebar").GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();
        await Expect(page.Locator("table.audit-table tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-kind='person.created']").First).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "audit");

        await page.Locator("select[name=kind]").SelectOptionAsync("access.denied");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("kind=access.denied"));
        var row = page.Locator("table.audit-table tbody tr.denied").First;
        await Expect(row).ToContainTextAsync("Denied");
        await Expect(row).ToContainTextAsync(AppFixture.RepName);
        await Expect(row).ToContainTextAsync("/admin/keys");
        await Expect(page.Locator("table.audit-table tbody tr:not(.denied)")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await AppFixture.ScreenshotAsync(page, "audit-denied");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_creates_a_key_sees_its_secret_once_and_revokes_it()
    {
        var page = await app.NewPageAsync(Role.Admin);
        await page.GotoAsync("/admin/keys");
        await page.GetByLabel("Name").FillAsync("Website forms");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API key created" })).ToBeVisibleAsync();
        await Expect(page.Locator(".secret-card")).ToContainTextAsync("it will not be shown again");
        var secret = (await page.GetByTestId("secret").TextContentAsync())!.Trim();
        Assert.StartsWith("tdm_", secret);
        await AppFixture.ScreenshotAsync(page, "key-created");

        await page.GetByRole(AriaRole.Link, new() { Name = "Done: back to API keys" }).ClickAsync();
        var row = page.Locator("table.keys-table tbody tr").Filter(new() { HasText = "Website forms" });
        await Expect(row).ToContainTextAsync(secret[..12]);
        await Expect(row).ToContainTextAsync("Active");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await AppFixture.ScreenshotAsync(page, "keys");

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Website forms" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("is revoked");
        await Expect(row).ToContainTextAsync("Revoked");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_stays_signed_out()
    {
        var page = await app.NewAnonymousPageAsync();
        await AppFixture.SignInAsync(page, AppFixture.RepEmail, "not the password at all");

        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?error=invalid"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That email and password do not match. After 5 failed attempts an account is locked for 15 minutes.");
        await AppFixture.ScreenshotAsync(page, "login-error");
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_returns_to_the_sign_in_page_and_pages_then_ask_to_sign_in()
    {
        var page = await app.NewAnonymousPageAsync();
        await page.GotoAsync("/account/login");
        await AppFixture.ScreenshotAsync(page, "login");
        await AppFixture.SignInAsync(page, AppFixture.AdminEmail, AppFixture.Password);
        await Expect(page.GetByTestId("user-panel")).ToContainTextAsync(AppFixture.AdminName);
        await AppFixture.ScreenshotAsync(page, "signed-in-funnel");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?signedOut=1$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("You are signed out.");

        foreach (var path in new[] { "/", "/people", "/admin/audit", "/account/password" })
        {
            await page.GotoAsync(path);
            await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl="));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        }
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_password_page_states_the_policy_and_reports_a_wrong_current_password()
    {
        var page = await app.NewPageAsync(Role.SalesRep);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
        await Expect(page.Locator("#policy")).ToContainTextAsync("At least 10 characters, with at least 4 different characters");

        await page.GetByLabel("Current password").FillAsync("this is not it");
        await page.GetByLabel("New password").FillAsync("a brand new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Incorrect password");
        await AppFixture.ScreenshotAsync(page, "password");
        await page.Context.CloseAsync();
    }
}
