using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

/// <summary>The Agreement pages' forms, driven as a browser would: signed-in cookie plus the page's antiforgery token.</summary>
public partial class AgreementPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_marketing_user_drafts_a_change_saves_it_and_sees_the_diff(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var active = await AgreementSetup.ActivateStarterAsync(app);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);

        var created = await marketing.PostFormAsync("/agreement/drafts", [], tokenFrom: "/agreement");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var number = active.Number + 1;
        Assert.Equal($"/agreement/{number}/edit?created=1", created.Headers.Location!.OriginalString);
        var editor = await marketing.Client.GetStringAsync(created.Headers.Location, Ct);
        Assert.Contains("name=\"qualify.threshold\" value=\"60\"", editor);

        var saved = await marketing.PostFormAsync($"/agreement/{number}/edit", new()
        {
            ["mode"] = "simple", ["version"] = VersionOn(editor), ["qualify.threshold"] = "45", ["engagement.halfLifeDays"] = "45",
            ["engagement.rules[0].points"] = "50", ["note"] = "More MQLs for the new SDR team",
        }, tokenFrom: $"/agreement/{number}/edit");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/agreement/{number}?saved=1", saved.Headers.Location!.OriginalString);
        await using (var db = app.Db.Open())
        {
            var d = (await db.LeadDefinitions.SingleAsync(x => x.Number == number, Ct));
            var content = d.Parsed();
            Assert.Equal((45, 45.0, 50, "More MQLs for the new SDR team"), (content.Qualify.Threshold, content.Engagement.HalfLifeDays!.Value,
                content.Engagement.Rules[0].Points, d.Note));
            Assert.Equal(content.Hash(), d.ContentHash);
            Assert.Equal(DefinitionStatus.Draft, d.Status);
        }
        var page = await marketing.Client.GetStringAsync(saved.Headers.Location, Ct);
        Assert.Contains("Draft saved.", page);
        Assert.Contains($"Changes from the active v{active.Number}", page);
        Assert.Matches(new Regex("class=\"diff-removed\"><td>Qualify</td><td>[^<]+</td><td>Fit B or better and score 60 or more</td>"), page);
        Assert.Matches(new Regex("class=\"diff-added\"><td>Qualify</td><td>[^<]+</td><td>Fit B or better and score 45 or more</td>"), page);
        Assert.Contains("Points halve every 45 days", page);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Invalid_values_come_back_beside_their_fields_and_nothing_changes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var draft = await AgreementSetup.DraftAsync(app, StarterDefinition.Content);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var editor = await marketing.Client.GetStringAsync($"/agreement/{draft.Number}/edit", Ct);

        // Band B (45…69) now overlaps band A's 60; the threshold is out of range; a points box holds a word.
        var res = await marketing.PostFormAsync($"/agreement/{draft.Number}/edit", new()
        {
            ["mode"] = "simple", ["version"] = VersionOn(editor), ["fit.bands[0].min"] = "60", ["qualify.threshold"] = "0",
            ["fit.rules[1].points"] = "lots",
        }, tokenFrom: $"/agreement/{draft.Number}/edit");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync(Ct);
        Assert.Contains("&#x27;lots&#x27; is not a whole number.", html);
        Assert.Contains("value=\"lots\"", html); // what was typed comes back
        // A parse error stops before the rules are checked; fix the word and the range errors come back beside their fields.
        var again = await marketing.PostFormAsync($"/agreement/{draft.Number}/edit", new()
        {
            ["mode"] = "simple", ["version"] = VersionOn(editor), ["fit.bands[0].min"] = "60", ["qualify.threshold"] = "0",
        }, tokenFrom: $"/agreement/{draft.Number}/edit");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        html = await again.Content.ReadAsStringAsync(Ct);
        Assert.Matches(new Regex("name=\"qualify.threshold\" value=\"0\" class=\"invalid\" />\\s*<span class=\"field-error\" role=\"alert\">The engagement threshold must be between 1"), html);
        Assert.Contains("overlap", html);
        await using var db = app.Db.Open();
        Assert.Equal(draft.ContentHash, (await db.LeadDefinitions.SingleAsync(x => x.Number == draft.Number, Ct)).ContentHash);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task The_json_editor_names_the_path_of_a_rule_on_an_unknown_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var draft = await AgreementSetup.DraftAsync(app, StarterDefinition.Content);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var editor = await marketing.Client.GetStringAsync($"/agreement/{draft.Number}/edit", Ct);
        var content = StarterDefinition.Content with
        {
            Fit = StarterDefinition.Content.Fit with { Rules = [new FitRule("account.shoeSize", "gte", 10, Number: 42)] },
        };

        var res = await marketing.PostFormAsync($"/agreement/{draft.Number}/edit",
            new() { ["mode"] = "json", ["version"] = VersionOn(editor), ["json"] = content.ToJson() }, tokenFrom: $"/agreement/{draft.Number}/edit");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        var html = await res.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<span class=\"code\">content.fit.rules[0].field</span>: Unknown field &#x27;account.shoeSize&#x27;", html);
        Assert.Contains("account.shoeSize", html[html.IndexOf("<textarea", StringComparison.Ordinal)..]); // the JSON as typed
        var broken = await marketing.PostFormAsync($"/agreement/{draft.Number}/edit",
            new() { ["mode"] = "json", ["version"] = VersionOn(editor), ["json"] = "{ not json" }, tokenFrom: $"/agreement/{draft.Number}/edit");
        Assert.Contains("The JSON does not read as a definition", await broken.Content.ReadAsStringAsync(Ct));
        await using var db = app.Db.Open();
        Assert.Equal(draft.ContentHash, (await db.LeadDefinitions.SingleAsync(x => x.Number == draft.Number, Ct)).ContentHash);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_save_over_someone_elses_edit_is_refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var draft = await AgreementSetup.DraftAsync(app, StarterDefinition.Content);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var editor = await marketing.Client.GetStringAsync($"/agreement/{draft.Number}/edit", Ct);
        await app.Client.PutAsJsonAsync($"/api/definitions/{draft.Number}", new DraftUpdate(AgreementSetup.WithThreshold(70), null, draft.Version),
            TestApp.Json, Ct);

        var res = await marketing.PostFormAsync($"/agreement/{draft.Number}/edit",
            new() { ["mode"] = "simple", ["version"] = VersionOn(editor), ["qualify.threshold"] = "40" }, tokenFrom: $"/agreement/{draft.Number}/edit");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
        Assert.Contains($"Someone else saved v{draft.Number} after you opened it", await res.Content.ReadAsStringAsync(Ct));
        await using var db = app.Db.Open();
        Assert.Equal(70, (await db.LeadDefinitions.SingleAsync(x => x.Number == draft.Number, Ct)).Parsed().Qualify.Threshold);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Marketing_and_a_sales_manager_approve_through_the_page_and_the_draft_becomes_active(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var active = await AgreementSetup.ActivateStarterAsync(app);
        var draft = await AgreementSetup.DraftAsync(app, AgreementSetup.WithThreshold(45));
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var page = $"/agreement/{draft.Number}";
        Assert.Contains($"name=\"contentHash\" value=\"{draft.ContentHash}\"", await marketing.Client.GetStringAsync(page, Ct));

        var first = await marketing.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash }, tokenFrom: page);
        Assert.Equal($"{page}?reviewed=Approve#review", first.Headers.Location!.OriginalString);
        var twice = await marketing.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash }, tokenFrom: page);
        Assert.Contains("You have already approved this content", await marketing.Client.GetStringAsync(twice.Headers.Location, Ct));
        var comment = await sales.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Comment", ["comment"] = "Reps can take 20 % more." }, tokenFrom: page);
        Assert.Equal($"{page}?reviewed=Comment#review", comment.Headers.Location!.OriginalString);

        var second = await sales.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash }, tokenFrom: page);

        Assert.Equal($"{page}?activated=1#review", second.Headers.Location!.OriginalString);
        var html = await sales.Client.GetStringAsync(second.Headers.Location, Ct);
        Assert.Contains("is now the active definition", html);
        Assert.Contains("Reps can take 20 % more.", html);
        await using var db = app.Db.Open();
        var statuses = await db.LeadDefinitions.OrderBy(d => d.Number).Select(d => d.Status).ToListAsync(Ct);
        Assert.Equal([DefinitionStatus.Retired, DefinitionStatus.Active], statuses);
        var history = await sales.Client.GetStringAsync("/agreement", Ct);
        Assert.Contains($"In force: <a href=\"/agreement/{draft.Number}\">v{draft.Number}</a>", history);
        Assert.Contains("No drafts.", history);
        Assert.Matches(new Regex($"<tr data-number=\"{active.Number}\">.*?Retired", RegexOptions.Singleline), history);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_approval_of_content_that_has_since_changed_is_refused_with_the_reason(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var draft = await AgreementSetup.DraftAsync(app, StarterDefinition.Content);
        var (_, sales) = await app.SignInAsNewAsync(Role.SalesManager);
        var page = $"/agreement/{draft.Number}";
        var token = await sales.AntiforgeryTokenAsync(page);
        await app.Client.PutAsJsonAsync(page.Replace("/agreement", "/api/definitions"), new DraftUpdate(AgreementSetup.WithThreshold(70), null, draft.Version),
            TestApp.Json, Ct);

        var res = await sales.PostFormAsync($"{page}/reviews",
            new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash, ["__RequestVerificationToken"] = token });

        var html = await sales.Client.GetStringAsync(res.Headers.Location, Ct);
        Assert.Contains($"v{draft.Number} has changed since you read it", html);
        await using var db = app.Db.Open();
        Assert.False(await db.DefinitionReviews.AnyAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Only_marketing_and_sales_managers_approve_and_reps_cannot_post_at_all(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var draft = await AgreementSetup.DraftAsync(app, StarterDefinition.Content);
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);
        var (_, rep) = await app.SignInAsNewAsync(Role.SalesRep);
        var page = $"/agreement/{draft.Number}";

        var adminPage = await admin.Client.GetStringAsync(page, Ct);
        Assert.DoesNotContain("value=\"Approve\"", adminPage);
        Assert.Contains("Only marketing users and sales managers approve", adminPage);
        var byAdmin = await admin.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash }, tokenFrom: page);
        Assert.Contains("Only marketing users and sales managers approve or reject", await admin.Client.GetStringAsync(byAdmin.Headers.Location, Ct));

        var repPage = await rep.Client.GetStringAsync(page, Ct);
        Assert.DoesNotContain("review-form", repPage);
        var byRep = await rep.PostFormAsync($"{page}/reviews", new() { ["decision"] = "Approve", ["contentHash"] = draft.ContentHash }, tokenFrom: page);
        Assert.StartsWith("/account/denied", byRep.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        var denied = await rep.Client.GetAsync(byRep.Headers.Location, Ct);
        Assert.Contains("cannot change the lead definition", await denied.Content.ReadAsStringAsync(Ct));
        var editor = await rep.Client.GetAsync($"{page}/edit", Ct);
        Assert.StartsWith("/account/denied", editor.Headers.Location!.OriginalString.Replace("http://localhost", ""));

        await using var db = app.Db.Open();
        Assert.False(await db.DefinitionReviews.AnyAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_active_version_cannot_be_edited_from_the_pages(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var active = await AgreementSetup.ActivateStarterAsync(app);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var edit = $"/agreement/{active.Number}/edit";

        var page = await marketing.Client.GetStringAsync(edit, Ct);
        Assert.Contains($"v{active.Number} is active and never changes", page);
        Assert.DoesNotContain("name=\"qualify.threshold\"", page);
        var res = await marketing.PostFormAsync(edit, new() { ["mode"] = "simple", ["version"] = "1", ["qualify.threshold"] = "5" }, tokenFrom: edit);

        Assert.Contains("never changes", await marketing.Client.GetStringAsync(res.Headers.Location, Ct));
        await using var db = app.Db.Open();
        var d = await db.LeadDefinitions.SingleAsync(x => x.Number == active.Number, Ct);
        Assert.Equal((DefinitionStatus.Active, active.ContentHash), (d.Status, d.ContentHash));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_form_without_its_antiforgery_token_is_rejected(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);

        var res = await marketing.PostFormAsync("/agreement/drafts", []);

        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        await using var db = app.Db.Open();
        Assert.False(await db.LeadDefinitions.AnyAsync(Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_new_install_starts_its_first_draft_from_the_starter_definition(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var (_, marketing) = await app.SignInAsNewAsync(Role.Marketing);
        var home = await marketing.Client.GetStringAsync("/agreement", Ct);
        Assert.Contains("No definition is active yet", home);

        var res = await marketing.PostFormAsync("/agreement/drafts", [], tokenFrom: "/agreement");

        Assert.Equal("/agreement/1/edit?created=1", res.Headers.Location!.OriginalString);
        await using var db = app.Db.Open();
        Assert.Equal(StarterDefinition.Content.Hash(), (await db.LeadDefinitions.SingleAsync(Ct)).ContentHash);
    }

    private static string VersionOn(string html) => VersionInput().Match(html) is { Success: true } m ? m.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("no version field on the editor");

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionInput();
}
