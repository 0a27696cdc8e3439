using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Tandem.Data;
using Tandem.Features.Access;
using Tandem.Features.Insight;
using Tandem.Features.Learning;
using Tandem.Tests.Demo;

namespace Tandem.Tests.Learning;

/// <summary>Promoting through the API: bad input names its field, another label needs confirm, the promotion is audited.</summary>
public class LearningApiTests
{
    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Promote_names_bad_input_warns_on_another_label_and_audits_who_promoted(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, _) = await DemoFixture.LoadAsync(provider, 4_000);
        var clock = new FakeTimeProvider(DemoFixture.Now);
        await using var app = await TestApp.StartOnAsync(store, clock, ownsDb: true);
        int won;
        await using (var db = store.Open(clock))
        {
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var (m, refusal) = await Models.TrainAsync(db, facts, new LearnTarget(LearnLabel.Won, 180, LearnStart.Mql), TrainChoices.None, "test", null, ct);
            Assert.True(m is not null, refusal);
            won = m.Number;
        }

        // Bad input names the field.
        await Problem.AssertFieldAsync(await app.Client.PostAsJsonAsync("/api/learning/models/abc/promote", new { }, ct), "version");
        var missing = await Problem.ReadAsync(await app.Client.PostAsJsonAsync("/api/learning/models/99/promote", new { }, ct), HttpStatusCode.NotFound);
        Assert.Equal("There is no model #99.", missing.Detail);
        var bad = await app.Client.PostAsync($"/api/learning/models/{won}/promote",
            new StringContent("{\"confirm\": \"perhaps\"}", System.Text.Encoding.UTF8, "application/json"), ct);
        await Problem.AssertFieldAsync(bad, "confirm");

        // Readers may list but not promote.
        var reader = await app.ClientWithKeyAsync(KeyScope.Read);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/api/learning/models/{won}/promote", new { confirm = true }, ct)).StatusCode);
        var list = await reader.GetFromJsonAsync<List<ModelDto>>("/api/learning/models", TestApp.Json, ct);
        Assert.Equal([(won, "candidate"), (1, "active")], list!.Select(x => (x.Number, x.Status)));

        // Another label than the active model's: a 409 with both outcomes in words, naming confirm; nothing changes.
        var warn = await Problem.ReadAsync(await app.Client.PostAsJsonAsync($"/api/learning/models/{won}/promote", new { }, ct), HttpStatusCode.Conflict);
        Assert.Contains("won a deal within 180 days of becoming an MQL", warn.Detail);
        Assert.Contains("reached SQL within 90 days of becoming an Inquiry", warn.Detail);
        Assert.Contains("confirm", warn.Detail);
        Assert.Equal(1, (await app.GetAsync<List<ModelDto>>("/api/learning/models")).Single(x => x.Status == "active").Number);

        var promoted = await app.PostAsync<ModelDto>($"/api/learning/models/{won}/promote", new { confirm = true });
        Assert.Equal((won, "active"), (promoted.Number, promoted.Status));
        Assert.StartsWith("api-key:", promoted.PromotedBy);
        var again = await Problem.ReadAsync(await app.Client.PostAsJsonAsync($"/api/learning/models/{won}/promote", new { confirm = true }, ct), HttpStatusCode.Conflict);
        Assert.Equal($"Model #{won} is already active.", again.Detail);

        // Audited like other admin actions: one activity row, by the key, saying what retired and that the change was confirmed.
        await using (var db = store.Open(clock))
        {
            var audit = await db.Activity.AsNoTracking().Where(a => a.SubjectKind == SubjectKind.Model).ToListAsync(ct);
            var row = Assert.Single(audit, a => a.SubjectId == won);
            Assert.Equal("model.promoted", row.Kind);
            Assert.StartsWith("api-key:", row.Actor);
            using var detail = JsonDocument.Parse(row.Detail!);
            Assert.Equal(1, detail.RootElement.GetProperty("retired").GetInt32());
            Assert.True(detail.RootElement.GetProperty("confirmedDifferentTarget").GetBoolean());
            var statuses = await db.LearnedModels.AsNoTracking().OrderBy(m => m.Number).Select(m => m.Status).ToListAsync(ct);
            Assert.Equal([ModelStatus.Retired, ModelStatus.Active], statuses);
        }
    }
}
