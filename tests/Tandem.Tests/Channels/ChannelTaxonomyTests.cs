using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Channels;
using Tandem.Features.Import;
using Tandem.Features.Touches;
using Tandem.Tests.Import;
using static Tandem.Tests.Insight.InsightReportTests;

namespace Tandem.Tests.Channels;

/// <summary>Channels are data (decision 0100): seeded, extended and renamed by an admin, matched loosely, reported by group.</summary>
public class ChannelTaxonomyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Period = "&from=2026-01-01&to=2026-04-01";

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_admin_adds_and_renames_channels_and_touches_use_them_by_key_or_label(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var seeded = await app.GetAsync<List<ChannelDto>>("/api/channels");
        Assert.Equal(["PaidSearch", "Organic", "Social", "Email", "Webinar", "Event", "Content", "Referral", "Partner", "Outbound", "Other", "Unknown", "Direct", "Display"],
            seeded.Select(c => c.Key));
        Assert.Equal("Paid", seeded.Single(c => c.Key == "Display").Group);

        var added = await app.PostAsync<ChannelDto>("/api/channels", new { key = "paid_social", label = "Paid social", group = "Paid" });
        Assert.Equal(("paid_social", "Paid social", "Paid", 1), (added.Key, added.Label, added.Group, added.Version));

        // A key or label that reads as another channel's is refused, naming the field and the channel it clashes with.
        var sameKey = await Problem.AssertFieldAsync(await app.Client.PostAsJsonAsync("/api/channels", new { key = "PAID-SOCIAL" }, Ct), "key");
        Assert.Contains("'Paid social'", sameKey.Errors["key"][0]);
        var sameLabel = await Problem.AssertFieldAsync(await app.Client.PostAsJsonAsync("/api/channels", new { key = "search2", label = "paid search" }, Ct), "label");
        Assert.Contains("key 'PaidSearch'", sameLabel.Errors["label"][0]);
        await Problem.AssertFieldAsync(await app.Client.PostAsJsonAsync("/api/channels", new { key = "has space" }, Ct), "key");

        // Renaming changes the label only; a stale version is a conflict.
        var renamed = await app.Client.PutAsJsonAsync("/api/channels/paid_social", new { label = "Social ads", version = 1 }, Ct);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        await Problem.ReadAsync(await app.Client.PutAsJsonAsync("/api/channels/paid_social", new { label = "Stale", version = 1 }, Ct), HttpStatusCode.Conflict);
        var (_, rep) = await app.SignInAsNewAsync(Role.SalesRep);
        using var _rep = rep;
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.Client.PostAsJsonAsync("/api/channels", new { key = "tiktok" }, Ct)).StatusCode);

        // Touches name a channel by key or label, in any case; it is stored by its key. An unknown one is that item's error.
        var result = await app.PostAsync<BatchResult>("/api/touches:batch", new
        {
            touches = new object[]
            {
                new { eventId = "a", email = "ann@acme.com", type = "AdClick", channel = "paid_social", occurredAt = "2026-02-01T10:00:00Z" },
                new { eventId = "b", email = "bob@acme.com", type = "AdClick", channel = "social ads", occurredAt = "2026-02-01T10:00:00Z" },
                new { eventId = "c", email = "cat@acme.com", type = "AdClick", channel = "tiktok", occurredAt = "2026-02-01T10:00:00Z" },
            },
        });
        Assert.Equal((2, 1), (result.Created, result.Rejected));
        var error = Assert.Single(result.Errors);
        Assert.Equal("channel", error.Field);
        Assert.Contains("'tiktok' is not a known channel. Known channels: PaidSearch, Organic", error.Message);
        Assert.Contains("tandem channels add tiktok", error.Message);
        var stored = await app.GetAsync<Page<TouchDto>>("/api/touches?channel=paid_social");
        Assert.Equal(2, stored.Total);
        Assert.All(stored.Items, t => Assert.Equal("paid_social", t.Channel.Key));

        // People and reports show the label; the admin page lists every channel.
        var (_, admin) = await app.SignInAsNewAsync(Role.Admin);
        using var _admin = admin;
        var person = stored.Items[0].PersonId;
        Assert.Contains("Social ads", WebUtility.HtmlDecode(await admin.Client.GetStringAsync($"/people/{person}", Ct)));
        var page = WebUtility.HtmlDecode(await admin.Client.GetStringAsync("/admin/channels", Ct));
        Assert.Contains("value=\"Social ads\"", page);
        Assert.Contains("paid_social", page);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task An_export_with_its_own_source_values_loads_and_reports_by_channel_and_group(string provider)
    {
        await using var h = await ImportHarness.CreateAsync(provider);
        // Source values as a marketplace export has them: some read as seeded channels, two are the export's own.
        var csv = "lead_id,origin\n"
            + "L1,organic_search\nL2,organic_search\nL3,Organic Search\nL4,paid_search\nL5,PAID_SEARCH\n"
            + "L6,other_publicities\nL7,other_publicities\nL8,direct_traffic\nL9,unknown\n";
        var refused = await h.ImportAsync(ImportEntity.People, h.Write("leads.csv", csv), """{ "columns": { "lead_id": "externalId", "origin": "sourceChannel" } }""");
        Assert.False(refused.Committed);
        var unknown = refused.Errors.First().ToString();
        Assert.StartsWith("leads.csv:7:2 (origin): 'other_publicities' is not a known channel. Known channels: PaidSearch", unknown);
        Assert.Contains("\"channels\"", unknown);
        Assert.Equal(0, await h.QueryAsync(db => db.People.CountAsync(Ct)));

        var loaded = await h.ImportAsync(ImportEntity.People, h.Write("leads.csv", csv), """
            { "columns": { "lead_id": "externalId", "origin": "sourceChannel" },
              "channels": { "other_publicities": { "label": "Other publicities", "group": "Paid" },
                            "direct_traffic": { "label": "Direct traffic", "group": "Inbound" } } }
            """);
        Assert.True(loaded.Committed, string.Join('\n', loaded.Errors));
        Assert.Contains(loaded.Warnings, w => w.ToString().Contains("Channels added from the mapping: other_publicities, direct_traffic"));

        await using var app = await TestApp.StartOnAsync(h.Db, h.Clock);
        var byChannel = await GetAsync(app, "/api/insight/funnel?by=channel" + Period);
        Assert.Equal(3, V(byChannel, "cohort", "Organic"));
        Assert.Equal(2, V(byChannel, "cohort", "PaidSearch"));
        Assert.Equal(2, V(byChannel, "cohort", "other_publicities"));
        Assert.Equal(1, V(byChannel, "cohort", "direct_traffic"));
        Assert.Equal(1, V(byChannel, "cohort", "Unknown"));
        var byGroup = await GetAsync(app, "/api/insight/funnel?by=channelGroup" + Period);
        Assert.Equal(4, V(byGroup, "cohort", "Paid"));
        Assert.Equal(4, V(byGroup, "cohort", "Inbound"));
        Assert.Equal(1, V(byGroup, "cohort", "Other"));
        var paidOnly = await GetAsync(app, "/api/insight/funnel?filter=channelGroup:Paid" + Period);
        Assert.Equal(4, V(paidOnly, "cohort", "All"));

        // A rename reaches the reports through the change feed: the group moves, the keys stay.
        var row = await h.QueryAsync(db => db.Channels.SingleAsync(c => c.Key == "other_publicities", Ct));
        Assert.Equal(HttpStatusCode.OK, (await app.Client.PutAsJsonAsync("/api/channels/other_publicities", new { group = "Other", version = row.Version }, Ct)).StatusCode);
        var regrouped = await GetAsync(app, "/api/insight/funnel?by=channelGroup" + Period);
        Assert.Equal(2, V(regrouped, "cohort", "Paid"));
        Assert.Equal(3, V(regrouped, "cohort", "Other"));
    }

    [Fact]
    public void Text_finds_a_channel_by_key_or_label_ignoring_case_spaces_dashes_and_underscores()
    {
        var set = ChannelSet.Default;
        Assert.Equal(Channel.PaidSearch, set.Find("paid_search")?.Channel);
        Assert.Equal(Channel.PaidSearch, set.Find("Paid Search")?.Channel);
        Assert.Equal(Channel.Organic, set.Find("organic-search")?.Channel); // by its label, "Organic search"
        Assert.Equal(Channel.Outbound, set.Find("OUTBOUND")?.Channel);
        Assert.Null(set.Find("tiktok"));
        Assert.Null(set.Find(" "));
        // Seeded channels keep their codes in every database: Insight and attribution rely on it.
        Assert.Equal([0, 9, 13], new[] { Channel.PaidSearch, Channel.Outbound, Channel.Display }.Select(c => (int)set.Code(c)));
        Assert.Equal(ChannelSet.None, set.Code(new Channel("tiktok")));
        Assert.Equal("other_publicities", ChannelSet.Suggest("Other publicities!"));
    }
}
