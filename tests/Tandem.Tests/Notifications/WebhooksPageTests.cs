using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Data;
using Tandem.Features.Webhooks;

namespace Tandem.Tests.Notifications;

public class WebhooksPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_admin_sees_the_dead_letters_and_replays_one_from_the_page(string provider)
    {
        await using var app = await WebhookDeliveryTests.StartAsync(provider, maxAttempts: 1);
        await WebhookDeliveryTests.AddEndpointAsync(app, "http://127.0.0.1:9/hook", name: "Old CRM"); // nothing listens on port 9
        await WebhookDeliveryTests.EnqueueAsync(app, "sla.breached", new { personId = 7 });
        await app.App.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(Ct);
        long id;
        await using (var db = app.Db.Open(app.Clock))
            id = await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.DeadLetter).Select(d => d.Id).SingleAsync(Ct);

        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);
        var page = await admin.Client.GetStringAsync("/admin/webhooks", Ct);
        Assert.Contains("Old CRM", page);
        Assert.Contains($"data-delivery=\"{id}\"", page);
        Assert.Contains("sla.breached", page);

        var (_, viewer) = await app.SignInAsNewAsync(Role.Marketing);
        var refused = await viewer.PostFormAsync($"/admin/webhooks/deliveries/{id}/replay", [], tokenFrom: "/account/password");
        Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString);
        var forged = await admin.Client.PostAsync($"/admin/webhooks/deliveries/{id}/replay", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode); // no antiforgery token

        var replayed = await admin.PostFormAsync($"/admin/webhooks/deliveries/{id}/replay", [], tokenFrom: "/admin/webhooks");
        Assert.Equal($"/admin/webhooks?replayed={id}", replayed.Headers.Location!.OriginalString);
        await using (var db = app.Db.Open(app.Clock))
            Assert.Equal(DeliveryStatus.Pending, (await db.WebhookDeliveries.SingleAsync(Ct)).Status);
        Assert.DoesNotContain($"data-delivery=\"{id}\"", await admin.Client.GetStringAsync("/admin/webhooks", Ct));
    }
}
