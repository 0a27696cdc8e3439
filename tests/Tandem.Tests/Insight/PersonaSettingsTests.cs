using Microsoft.Extensions.Configuration;
using System.Net.Http.Json;
using Tandem.Data;
using Tandem.Features.Insight;
using static Tandem.Tests.Insight.InsightScenario;

namespace Tandem.Tests.Insight;

/// <summary>The persona slice follows the Insight:Personas setting, and the API shows the mapping in force.</summary>
public class PersonaSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Persona_rules_from_settings_split_the_funnel_and_the_api_shows_them(string provider)
    {
        // Two rules of our own: "Buyer" for procurement titles, then "Tech" for engineers; the defaults no longer apply.
        await using var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), configure: b =>
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Insight:Personas:0:Persona"] = "Buyer",
                ["Insight:Personas:0:TitleContains:0"] = "procurement",
                ["Insight:Personas:0:TitleContains:1"] = "purchasing",
                ["Insight:Personas:1:Persona"] = "Tech",
                ["Insight:Personas:1:TitleContains:0"] = "engineer",
            }));
        await using (var db = app.Db.Open(app.Clock))
        {
            var s = new InsightScenario(db);
            await s.PersonAsync("a@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 5), "import")], title: "Head of Procurement");
            await s.PersonAsync("b@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 6), "import")], title: "Purchasing Manager");
            await s.PersonAsync("c@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 7), "import")], title: "Data Engineer");
            await s.PersonAsync("d@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 8), "import")], title: "CEO");
            await s.PersonAsync("e@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 9), "import")]);
        }

        var funnel = await app.Client.GetFromJsonAsync<InsightTable>("/api/insight/funnel?by=persona", TestApp.Json, Ct);
        var cohort = funnel!.Rows.ToDictionary(r => r.Keys[0], r => r.Values[0]);
        Assert.Equal(new Dictionary<string, double?> { ["Buyer"] = 2, ["Tech"] = 1, [Personas.Other] = 1, [Personas.Unknown] = 1 }, cohort);

        var mapping = await app.Client.GetFromJsonAsync<PersonaMapping>("/api/insight/personas?title=VP%20Purchasing", TestApp.Json, Ct);
        Assert.StartsWith("setting", mapping!.Source);
        Assert.Equal(["Buyer", "Tech"], mapping.Rules.Select(r => r.Persona));
        Assert.Equal("Buyer", mapping.Persona);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_property_only_edit_shows_in_the_next_report(string provider)
    {
        // A change of custom properties alone writes no activity row; the report must still see it.
        await using var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
        int ann;
        await using (var db = app.Db.Open(app.Clock))
            ann = await new InsightScenario(db).PersonAsync("ann@x.test", Channel.Email, [(LifecycleStage.Inquiry, D(1, 5), "import")],
                props: new() { ["segment"] = "SMB" });
        async Task<string[]> Segments() =>
            (await app.Client.GetFromJsonAsync<InsightTable>("/api/insight/funnel?by=property:segment", TestApp.Json, Ct))!.Rows.Select(r => r.Keys[0]).ToArray();
        Assert.Equal(["SMB"], await Segments());
        await using (var db = app.Db.Open(app.Clock))
        {
            await Tandem.Features.Properties.Props.ReplaceAsync(db, SubjectKind.Person, ann, new Dictionary<string, string> { ["segment"] = "Enterprise" }, Ct);
            await db.SaveChangesAsync(Ct);
        }
        Assert.Equal(["Enterprise"], await Segments());
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Without_the_setting_the_built_in_rules_apply_and_say_so(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var mapping = await app.Client.GetFromJsonAsync<PersonaMapping>("/api/insight/personas?title=Chief%20Revenue%20Officer", TestApp.Json, Ct);
        Assert.StartsWith("built-in", mapping!.Source);
        Assert.Equal(Personas.Defaults.Select(r => r.Persona), mapping.Rules.Select(r => r.Persona));
        Assert.Equal("Executive", mapping.Persona);
        Assert.Null((await app.Client.GetFromJsonAsync<PersonaMapping>("/api/insight/personas", TestApp.Json, Ct))!.Persona);
    }
}
