using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Features.Agreement;
using Tandem.Features.Touches;

namespace Tandem.Tests.Api;

/// <summary>
/// A website, a webinar tool and an ad platform send at once: eight clients post overlapping batches (the same new people,
/// the same event ids) in shuffled orders, with a definition active so scoring and automatic MQL run in every batch.
/// Every batch is acknowledged and every event is stored exactly once.
/// </summary>
public class ConcurrentIngestionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Eight_clients_sending_overlapping_batches_in_shuffled_orders_all_succeed_and_store_each_event_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.PostAsync<object>("/api/accounts", new { name = "Acme", domain = "acme.com", industry = "Software", employeeCount = 600, country = "Canada" });
        await Tandem.Tests.Agreement.AgreementHarness.ActivateAsync(app, StarterDefinition.Content);
        var at = app.Clock.GetUtcNow().AddHours(-2);
        string[] types = ["DemoRequest", "PricingPageVisit", "ContentDownload", "WebVisit"];
        var events = Enumerable.Range(0, 240).Select(i => new
        {
            eventId = $"ev-{i}", email = $"p{i % 60}@acme.com", type = types[i % types.Length], channel = "Organic",
            occurredAt = at.AddMinutes(i).ToString("O"),
        }).ToList();

        var random = new Random(42);
        var batches = Enumerable.Range(0, 8).Select(client => Enumerable.Range(0, 6)
            .Select(_ => events.OrderBy(_ => random.Next()).Take(50).ToList()).ToList()).ToList();
        using var go = new SemaphoreSlim(0, 8);
        var clients = batches.Select(async mine =>
        {
            await go.WaitAsync(Ct);
            var answers = new List<(int Status, string Body)>();
            foreach (var batch in mine)
            {
                using var res = await app.Client.PostAsJsonAsync("/api/touches:batch", new { touches = batch }, Ct);
                answers.Add(((int)res.StatusCode, await res.Content.ReadAsStringAsync(Ct)));
            }
            return answers;
        }).ToList();
        go.Release(8);
        var all = (await Task.WhenAll(clients)).SelectMany(a => a).ToList();

        Assert.All(all, a => Assert.True(a.Status == 200, $"{a.Status}: {a.Body}"));
        await using var db = app.Db.Open(app.Clock);
        var stored = await db.Touches.AsNoTracking().Where(t => t.EventId.StartsWith("ev-")).Select(t => t.EventId).ToListAsync(Ct);
        var sent = batches.SelectMany(c => c).SelectMany(b => b).Select(e => e.eventId).Distinct().ToList();
        Assert.Equal(sent.Order(), stored.Order());
        Assert.Equal(60, await db.People.CountAsync(p => p.Email!.EndsWith("@acme.com"), Ct));
        // Each MQL is one handoff: no person was qualified twice by two batches at once.
        var handoffs = await db.Handoffs.AsNoTracking().GroupBy(h => h.PersonId).Select(g => g.Count()).ToListAsync(Ct);
        Assert.All(handoffs, n => Assert.Equal(1, n));
        Assert.NotEmpty(handoffs);
    }
}
