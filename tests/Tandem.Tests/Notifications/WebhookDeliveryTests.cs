using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Api;
using Tandem.Features.Access;
using Tandem.Features.Webhooks;

namespace Tandem.Tests.Notifications;

/// <summary>The outbox and the delivery loop against a real HTTP receiver, one deterministic pass at a time.</summary>
public class WebhookDeliveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static Task<TestApp> StartAsync(string provider, int maxAttempts = 8, Dictionary<string, string?>? more = null) =>
        TestApp.StartAsync(provider, configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:RunInBackground"] = "false", // the test drives each pass
            ["Webhooks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhooks:FirstRetryDelay"] = "00:00:30",
            ["Webhooks:Timeout"] = "00:00:10",
        }.Concat(more ?? []).ToDictionary()));

    internal static async Task<WebhookEndpointWithSecretDto> AddEndpointAsync(TestApp app, string url, string events = "*", string name = "crm") =>
        await app.PostAsync<WebhookEndpointWithSecretDto>("/api/webhooks/endpoints", new { name, url, events });

    internal static async Task<int> EnqueueAsync(TestApp app, string type, object data)
    {
        await using var db = app.Db.Open(app.Clock);
        var n = await WebhookQueue.EnqueueAsync(db, type, data, Ct);
        await db.SaveChangesAsync(Ct);
        return n;
    }

    private static async Task<WebhookDelivery> OnlyDeliveryAsync(TestApp app)
    {
        await using var db = app.Db.Open(app.Clock);
        return await db.WebhookDeliveries.AsNoTracking().SingleAsync(Ct);
    }

    private static WebhookDispatcher Dispatcher(TestApp app) => app.App.Services.GetRequiredService<WebhookDispatcher>();

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_500_is_retried_after_the_backoff_and_the_retry_is_signed_afresh(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer.Fail, Answer.Ok);
        await using var app = await StartAsync(provider);
        var endpoint = await AddEndpointAsync(app, receiver.Url, "sla.*");
        Assert.Equal(1, await EnqueueAsync(app, "sla.breached", new { personId = 7, deadline = "2026-03-02T11:00:00Z" }));

        Assert.Equal(1, await Dispatcher(app).DeliverDueAsync(Ct));
        var failed = await OnlyDeliveryAsync(app);
        Assert.Equal((DeliveryStatus.Pending, 1, 500), (failed.Status, failed.Attempts, failed.LastStatusCode));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30), failed.NextAttemptAt);

        app.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await Dispatcher(app).DeliverDueAsync(Ct)); // not due yet
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Dispatcher(app).DeliverDueAsync(Ct));

        var done = await OnlyDeliveryAsync(app);
        Assert.Equal((DeliveryStatus.Delivered, 2, 200), (done.Status, done.Attempts, done.LastStatusCode));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, done.DeliveredAt);
        var (first, second) = (receiver.Requests[0], receiver.Requests[1]);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.Header("Tandem-Event-Id"), second.Header("Tandem-Event-Id"));
        Assert.Equal(["1", "2"], receiver.Requests.Select(r => r.Header("Tandem-Attempt")));
        Assert.Equal("sla.breached", second.Header("Tandem-Event"));
        Assert.NotEqual(first.Header(WebhookSignature.Header), second.Header(WebhookSignature.Header));
        foreach (var r in receiver.Requests)
            Assert.True(WebhookSignature.Verify(endpoint.Secret, r.Header(WebhookSignature.Header), r.Body, app.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Contains("\"personId\":7", second.Body);
        Assert.Contains("\"type\":\"sla.breached\"", second.Body);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_hanging_endpoint_is_cut_off_by_the_timeout_and_retried(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync(Answer.Hangs, Answer.Ok);
        await using var app = await StartAsync(provider);
        await AddEndpointAsync(app, receiver.Url);
        await EnqueueAsync(app, "lead.accepted", new { personId = 1 });

        var pass = Dispatcher(app).DeliverDueAsync(Ct);
        await receiver.WaitForRequestAsync();
        Assert.False(pass.IsCompleted); // the receiver is hanging
        app.Clock.Advance(TimeSpan.FromSeconds(10)); // the timeout runs on the injected clock
        Assert.Equal(1, await pass.WaitAsync(TimeSpan.FromSeconds(20), Ct));

        var cut = await OnlyDeliveryAsync(app);
        Assert.Equal((DeliveryStatus.Pending, 1, (int?)null), (cut.Status, cut.Attempts, cut.LastStatusCode));
        Assert.Contains("timeout", cut.LastError);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await Dispatcher(app).DeliverDueAsync(Ct));
        Assert.Equal(DeliveryStatus.Delivered, (await OnlyDeliveryAsync(app)).Status);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task After_the_last_attempt_a_delivery_is_dead_lettered_and_an_admin_replays_it(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AfterScript = Answer.Fail;
        await using var app = await StartAsync(provider, maxAttempts: 3);
        await AddEndpointAsync(app, receiver.Url);
        await EnqueueAsync(app, "sla.breached", new { personId = 7 });

        await Dispatcher(app).DeliverDueAsync(Ct);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await Dispatcher(app).DeliverDueAsync(Ct);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await Dispatcher(app).DeliverDueAsync(Ct);
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await Dispatcher(app).DeliverDueAsync(Ct)); // dead letters are not retried on their own
        Assert.Equal(3, receiver.Requests.Count);

        var dead = await app.GetAsync<Page<WebhookDeliveryDto>>("/api/webhooks/deliveries?status=DeadLetter");
        var letter = Assert.Single(dead.Items);
        Assert.Equal((3, 500, "HTTP 500 Internal Server Error"), (letter.Attempts, letter.LastStatusCode, letter.LastError));
        Assert.NotNull(letter.DeadLetteredAt);

        receiver.AfterScript = Answer.Ok; // the receiver is fixed
        var replay = await app.Client.PostAsync($"/api/webhooks/deliveries/{letter.Id}/replay", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(1, await Dispatcher(app).DeliverDueAsync(Ct));
        var delivered = await OnlyDeliveryAsync(app);
        Assert.Equal((DeliveryStatus.Delivered, 1, 1), (delivered.Status, delivered.Attempts, delivered.Replays));
        Assert.Equal(receiver.Requests[0].Header("Tandem-Event-Id"), receiver.Requests[^1].Header("Tandem-Event-Id"));
        Assert.Empty((await app.GetAsync<Page<WebhookDeliveryDto>>("/api/webhooks/deliveries?status=DeadLetter")).Items);

        var again = await app.Client.PostAsync($"/api/webhooks/deliveries/{letter.Id}/replay", null, Ct);
        Assert.Contains("not dead-lettered", (await Problem.ReadAsync(again, HttpStatusCode.Conflict)).Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.PostAsync("/api/webhooks/deliveries/999/replay", null, Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Queued_events_survive_a_restart_and_are_sent_by_the_next_server(string provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await StartAsync(provider);
        await AddEndpointAsync(app, receiver.Url);
        await EnqueueAsync(app, "sla.breached", new { personId = 7 });
        await app.App.StopAsync(Ct); // the server goes down before anything was sent

        await using var next = TandemHost.Build(new HostOptions(app.Db.Storage, Clock: app.Clock, Quiet: true)
        {
            Configure = b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:PollInterval"] = "00:00:05" }),
            Limits = new RateLimits(),
        });
        await next.StartAsync(Ct); // its background loop makes a first pass at start
        await receiver.WaitForRequestAsync();
        await next.StopAsync(Ct);
        Assert.Single(receiver.Requests);
        Assert.Equal(DeliveryStatus.Delivered, (await OnlyDeliveryAsync(app)).Status);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Only_enabled_endpoints_that_want_the_event_get_it(string provider)
    {
        await using var app = await StartAsync(provider);
        var sla = await AddEndpointAsync(app, "http://127.0.0.1:9/a", "sla.*", "sla");
        await AddEndpointAsync(app, "http://127.0.0.1:9/b", "lead.rejected", "leads");
        var all = await AddEndpointAsync(app, "http://127.0.0.1:9/c", "*", "all");
        var off = await app.Client.PutAsJsonAsync($"/api/webhooks/endpoints/{all.Endpoint.Id}",
            new { name = "all", url = "http://127.0.0.1:9/c", events = "*", isEnabled = false, version = all.Endpoint.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        Assert.Equal(1, await EnqueueAsync(app, "sla.breached", new { }));
        await using var db = app.Db.Open(app.Clock);
        Assert.Equal([sla.Endpoint.Id], await db.WebhookDeliveries.Select(d => d.EndpointId).ToListAsync(Ct));
        Assert.Equal(0, await EnqueueAsync(app, "opportunity.won", new { }));
        await Assert.ThrowsAsync<ArgumentException>(() => WebhookQueue.EnqueueAsync(db, "Not A Type", new { }, Ct));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Endpoints_are_validated_admin_only_and_their_secret_is_shown_only_on_create_and_rotate(string provider)
    {
        await using var app = await StartAsync(provider);
        var bad = await app.Client.PostAsJsonAsync("/api/webhooks/endpoints", new { name = "x", url = "ftp://example.com", events = "SLA!" }, Ct);
        var problem = await Problem.ReadAsync(bad, HttpStatusCode.BadRequest);
        Assert.Contains("ftp://example.com", problem.Errors["url"].Single());
        Assert.Contains("SLA!", problem.Errors["events"].Single());

        var created = await AddEndpointAsync(app, "https://hooks.example.com/tandem");
        var list = await app.Client.GetStringAsync("/api/webhooks/endpoints", Ct);
        Assert.Contains("hooks.example.com", list);
        Assert.DoesNotContain(created.Secret, list);
        var rotated = await app.Client.PostAsync($"/api/webhooks/endpoints/{created.Endpoint.Id}/rotate-secret", null, Ct);
        var fresh = (await rotated.Content.ReadFromJsonAsync<WebhookEndpointWithSecretDto>(TestApp.Json, Ct))!;
        Assert.NotEqual(created.Secret, fresh.Secret);

        var dup = await app.Client.PostAsJsonAsync("/api/webhooks/endpoints", new { name = "crm", url = "https://b.example.com", events = "*" }, Ct);
        Assert.Contains("crm", (await Problem.ReadAsync(dup, HttpStatusCode.BadRequest)).Errors["name"].Single());
        var stale = await app.Client.PutAsJsonAsync($"/api/webhooks/endpoints/{created.Endpoint.Id}",
            new { name = "crm", url = "https://hooks.example.com/v2", events = "*", version = created.Endpoint.Version }, Ct); // rotate bumped it
        Assert.Equal("version", (await stale.Content.ReadFromJsonAsync<Dictionary<string, object>>(Ct))!["field"].ToString());

        var writer = await app.ClientWithKeyAsync(KeyScope.Write);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/webhooks/endpoints", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/webhooks/deliveries?status=DeadLetter", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/webhooks/endpoints/{created.Endpoint.Id}", Ct)).StatusCode);
    }
}
