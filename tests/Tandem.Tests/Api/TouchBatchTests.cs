using System.Net;
using System.Net.Http.Json;
using Tandem.Api;
using Tandem.Features.Campaigns;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Tests.Api;

public class TouchBatchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Touch(string id, string email, string type = "FormFill", string? channel = "Organic", string? campaign = null,
        string occurredAt = "2026-02-01T10:00:00Z") => new { eventId = id, email, type, channel, campaign, occurredAt };

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_resent_batch_adds_nothing(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var batch = new { touches = new[] { Touch("e1", "ann@acme.com"), Touch("e2", "ann@acme.com", "WebVisit"), Touch("e3", "bob@beta.io") } };

        var first = await app.PostAsync<BatchResult>("/api/touches:batch", batch);
        var again = await app.PostAsync<BatchResult>("/api/touches:batch", batch);

        Assert.Equal((3, 3, 0, 2), (first.Received, first.Created, first.Duplicates, first.PeopleCreated));
        Assert.Equal((3, 0, 3, 0), (again.Received, again.Created, again.Duplicates, again.PeopleCreated));
        Assert.Equal(3, (await app.GetAsync<Page<TouchDto>>("/api/touches")).Total);
        Assert.Equal(2, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Values_the_database_cannot_hold_are_errors_of_their_own_item_and_the_good_items_are_stored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        const string At = "2026-02-01T10:00:00Z";
        using var nul = System.Text.Json.JsonDocument.Parse("{\"note\":\"a\\u0000b\"}");
        var touches = new object[]
        {
            new { eventId = "long", email = "a@acme.com", type = "WebVisit", channel = "Organic", occurredAt = At, firstName = new string('x', 1_000_000) },
            new { eventId = "nul", email = "b@acme.com", type = "WebVisit", channel = "Organic", occurredAt = At, lastName = "Ann\0" },
            new { eventId = "type", email = "c@acme.com", type = 999, channel = "Organic", occurredAt = At },
            new { eventId = "channel", email = "d@acme.com", type = "WebVisit", channel = 77, occurredAt = At },
            new { eventId = "old", email = "e@acme.com", type = "WebVisit", channel = "Organic", occurredAt = "0001-01-01T00:00:00Z" },
            new { eventId = "props", email = "f@acme.com", type = "WebVisit", channel = "Organic", occurredAt = At, properties = nul.RootElement },
            new { eventId = "good", email = "g@acme.com", type = "WebVisit", channel = "Organic", occurredAt = At, firstName = "Gina" },
        };

        var result = await app.PostAsync<BatchResult>("/api/touches:batch", new { touches });

        Assert.Equal((7, 1, 6), (result.Received, result.Created, result.Rejected));
        Assert.Equal(["firstName", "lastName", "type", "channel", "occurredAt", "properties"], result.Errors.OrderBy(e => e.Index).Select(e => e.Field));
        Assert.Contains("at most 200 characters", result.Errors[0].Message);
        Assert.Contains("NUL", result.Errors.Single(e => e.Field == "lastName").Message);
        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("System.", StringComparison.Ordinal));
        var stored = (await app.GetAsync<Page<TouchDto>>("/api/touches")).Items.Single();
        Assert.Equal("good", stored.EventId);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_person_with_a_name_too_long_or_a_NUL_is_refused_naming_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var tooLong = await app.Client.PostAsJsonAsync("/api/people", new { email = "ann@acme.com", firstName = new string('x', 201) }, Ct);
        Assert.Contains("at most 200 characters", (await Problem.ReadAsync(tooLong, HttpStatusCode.BadRequest)).Errors["firstName"].Single());
        var withNul = await app.Client.PostAsJsonAsync("/api/people", new { email = "ann@acme.com", title = "CEO\0" }, Ct);
        Assert.Contains("NUL", (await Problem.ReadAsync(withNul, HttpStatusCode.BadRequest)).Errors["title"].Single());
        Assert.Equal(0, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_duplicate_event_id_inside_one_batch_is_stored_once(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var result = await app.PostAsync<BatchResult>("/api/touches:batch",
            new { touches = new[] { Touch("dup", "ann@acme.com"), Touch("dup", "ann@acme.com", "WebVisit") } });
        Assert.Equal((1, 1), (result.Created, result.Duplicates));
        var stored = (await app.GetAsync<Page<TouchDto>>("/api/touches")).Items.Single();
        Assert.Equal(Tandem.Data.TouchType.FormFill, stored.Type);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Invalid_items_get_per_item_errors_and_valid_items_are_stored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var result = await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = new[]
            {
                Touch("ok", "ann@acme.com"),
                Touch("bad-email", "ann-at-acme"),
                Touch("", "bob@acme.com"),
                Touch("future", "bob@acme.com", occurredAt: "2027-01-01T00:00:00Z"),
                Touch("no-campaign", "bob@acme.com", channel: null, campaign: "Spring webinar"),
            },
        });

        Assert.Equal((5, 1, 4), (result.Received, result.Created, result.Rejected));
        Assert.Equal([(1, "email"), (2, "eventId"), (3, "occurredAt"), (4, "campaign")], result.Errors.Select(e => (e.Index, e.Field)));
        Assert.Equal(1, (await app.GetAsync<Page<PersonDto>>("/api/people")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_campaign_gives_the_channel_and_the_new_persons_source(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var campaign = await app.PostAsync<CampaignDto>("/api/campaigns", new { name = "Spring webinar", channel = "Webinar", costMinor = 500_000, externalId = "cmp-7" });
        await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = new[]
            {
                Touch("late", "ann@acme.com", "WebVisit", "Organic", occurredAt: "2026-02-03T10:00:00Z"),
                Touch("early", "ann@acme.com", "WebinarRegistered", channel: null, campaign: "cmp-7", occurredAt: "2026-02-01T10:00:00Z"),
            },
        });

        var ann = (await app.GetAsync<Page<PersonDto>>("/api/people")).Items.Single();
        Assert.Equal((Tandem.Data.Channel.Webinar, campaign.Id), (ann.SourceChannel!.Value, ann.SourceCampaignId!.Value));
        var touches = await app.GetAsync<Page<TouchDto>>($"/api/touches?personId={ann.Id}&campaignId={campaign.Id}");
        Assert.Equal(Tandem.Data.Channel.Webinar, touches.Items.Single().Channel);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_batch_over_ten_thousand_is_refused_whole(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var touches = Enumerable.Range(0, TouchIngestor.MaxBatch + 1).Select(i => Touch($"e{i}", $"p{i % 50}@acme.com")).ToArray();

        var res = await app.Client.PostAsJsonAsync("/api/touches:batch", new { touches }, Ct);

        var problem = await Problem.ReadAsync(res, HttpStatusCode.BadRequest);
        Assert.Contains("at most 10,000", problem.Errors["touches"].Single());
        Assert.Equal(0, (await app.GetAsync<Page<TouchDto>>("/api/touches")).Total);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_full_batch_of_ten_thousand_is_stored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var touches = Enumerable.Range(0, TouchIngestor.MaxBatch).Select(i => Touch($"e{i}", $"p{i % 500}@acme.com")).ToArray();
        var result = await app.PostAsync<BatchResult>("/api/touches:batch", new { touches });
        Assert.Equal((10_000, 10_000, 500), (result.Received, result.Created, result.PeopleCreated));
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_single_touch_resent_answers_200_with_the_stored_touch(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var first = await app.Client.PostAsJsonAsync("/api/touches", Touch("one", "ann@acme.com"), Ct);
        var again = await app.Client.PostAsJsonAsync("/api/touches", Touch("one", "ann@acme.com"), Ct);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        var bad = await app.Client.PostAsJsonAsync("/api/touches", Touch("two", "nope"), Ct);
        Assert.Contains("email", (await Problem.ReadAsync(bad, HttpStatusCode.BadRequest)).Errors.Keys);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_batch_without_touches_names_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var res = await app.Client.PostAsJsonAsync("/api/touches:batch", new { }, Ct);
        Assert.Contains("touches", (await Problem.ReadAsync(res, HttpStatusCode.BadRequest)).Errors.Keys);
    }
}
