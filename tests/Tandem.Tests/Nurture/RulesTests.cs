using NodaTime;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Calendars;
using Tandem.Features.Nurture;

namespace Tandem.Tests.NurtureTracks;

public class RulesTests
{
    private static PersonFacts P(LifecycleStage stage, double score = 10, string? reason = null, string persona = "Sales", Grade? grade = Grade.B,
        Channel? channel = null, Dictionary<string, string>? props = null) => new(1, stage, reason, persona, grade, score, channel ?? Channel.Webinar, props);

    [Fact]
    public void Enrolment_matches_stage_recycle_reason_threshold_persona_grade_channel_and_properties()
    {
        var recycled = new EnrolRule(LifecycleStage.Nurture, RecycleReasons: ["No budget or timing"]);
        Assert.True(EnrolRules.Matches(recycled, P(LifecycleStage.Nurture, reason: "no budget or timing"), 60));
        Assert.False(EnrolRules.Matches(recycled, P(LifecycleStage.Nurture, reason: "Bad contact data"), 60));
        Assert.False(EnrolRules.Matches(recycled, P(LifecycleStage.Inquiry), 60));

        var notReady = new EnrolRule(LifecycleStage.Inquiry, Personas: ["Sales"], Grades: [Grade.A, Grade.B], Channels: [Channel.Webinar],
            Properties: new() { ["segment"] = "SMB" });
        var smb = new Dictionary<string, string> { ["segment"] = "smb" };
        Assert.True(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, 59, props: smb), 60));
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, 60, props: smb), 60)); // ready: sales, not nurture
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, persona: "Marketing", props: smb), 60));
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, grade: Grade.C, props: smb), 60));
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, grade: null, props: smb), 60));
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry, channel: Channel.Social, props: smb), 60));
        Assert.False(EnrolRules.Matches(notReady, P(LifecycleStage.Inquiry), 60));
    }

    [Fact]
    public void A_person_who_leaves_the_stage_exits_with_the_reason()
    {
        var rule = new EnrolRule(LifecycleStage.Nurture);
        Assert.Null(EnrolRules.ExitFor(rule, LifecycleStage.Nurture));
        Assert.Equal(ExitReasons.BecameMql, EnrolRules.ExitFor(rule, LifecycleStage.MQL));
        Assert.Equal(ExitReasons.SalesTookBack, EnrolRules.ExitFor(rule, LifecycleStage.SAL));
        Assert.Equal(ExitReasons.NoLongerMatches, EnrolRules.ExitFor(rule, LifecycleStage.Disqualified));
    }

    [Fact]
    public void First_matching_track_wins_and_nobody_goes_through_a_track_twice()
    {
        var people = new[] { P(LifecycleStage.Nurture) with { Id = 1 }, P(LifecycleStage.Nurture) with { Id = 2 } };
        var tracks = new List<(int, EnrolRule)> { (7, new EnrolRule(LifecycleStage.Nurture)), (8, new EnrolRule(LifecycleStage.Nurture)) };
        Assert.Equal([(7, 1), (8, 2)], Candidates.Match(tracks, people, 60, new HashSet<long> { Candidates.Pair(7, 2) }));
    }

    [Fact]
    public void A_wait_counts_business_days_of_the_company_calendar_and_a_branch_jumps_on_clicks()
    {
        var holiday = new LocalDate(2026, 3, 9);
        var cal = BusinessCalendar.Uniform("Europe/Berlin", [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday],
            new LocalTime(9, 0), new LocalTime(17, 0), [holiday]);
        var c = new TrackContent(new EnrolRule(LifecycleStage.Nurture),
        [
            new Step("m1", StepKind.Message, [new Variant("A", "s", "b")]), new Step("w", StepKind.Wait, Days: 2),
            new Step("b", StepKind.Branch, IfClicked: "m3", IfNotClicked: TrackContent.End), new Step("m2", StepKind.Message, [new Variant("A", "s", "b")]),
            new Step("m3", StepKind.Message, [new Variant("A", "s", "b")]),
        ]);
        var friday = new DateTime(2026, 3, 6, 10, 0, 0, DateTimeKind.Utc); // 11:00 in Berlin
        Assert.Equal((1, friday), TrackSchedule.After(c, 0, false, friday, cal));
        // Friday + 2 business days: Monday is a holiday, so Wednesday, same local time.
        Assert.Equal((2, new DateTime(2026, 3, 11, 10, 0, 0, DateTimeKind.Utc)), TrackSchedule.After(c, 1, false, friday, cal));
        Assert.Equal((4, friday), TrackSchedule.After(c, 2, true, friday, cal));
        Assert.Equal((5, friday), TrackSchedule.After(c, 2, false, friday, cal));
    }

    [Fact]
    public void Variant_assignment_is_a_keyed_hash_stable_split_evenly_with_a_control_hold_out()
    {
        var seed = VariantAssignment.Seed(3, "m1");
        Assert.Equal(VariantAssignment.Bucket(seed, 42), VariantAssignment.Bucket(seed, 42));
        Assert.NotEqual(Enumerable.Range(1, 50).Select(i => VariantAssignment.Bucket(seed, i)), Enumerable.Range(1, 50).Select(i => VariantAssignment.Bucket("other", i)));
        var counts = Enumerable.Range(1, 30_000).Select(i => VariantAssignment.Assign(seed, i, ["A", "B"], 10)).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["A", "B", VariantAssignment.Control], counts.Keys.Order());
        Assert.InRange(counts[VariantAssignment.Control], 2_700, 3_300);
        Assert.InRange(counts["A"], 12_900, 14_100);
        Assert.InRange(counts["B"], 12_900, 14_100);
        Assert.DoesNotContain(VariantAssignment.Control, Enumerable.Range(1, 1000).Select(i => VariantAssignment.Assign(seed, i, ["A"], 0)));
    }

    [Fact]
    public void Links_are_signed_per_person_and_send_and_a_tampered_id_or_target_fails()
    {
        var links = new NurtureLinks(new byte[32], "https://tandem.test/");
        var other = new NurtureLinks([.. Enumerable.Repeat((byte)1, 32)], "https://tandem.test");
        var token = links.UnsubscribeToken(17);
        Assert.Equal(17, links.CheckUnsubscribe(token));
        Assert.Null(links.CheckUnsubscribe("18" + token[2..]));
        Assert.Null(other.CheckUnsubscribe(token));
        Assert.StartsWith("https://tandem.test/n/u/17-", links.UnsubscribeUrl(17));
        var click = new Uri(links.ClickUrl(5, "https://acme.test/pricing"));
        var clickToken = click.AbsolutePath.Split('/')[^1];
        Assert.Equal(5, links.CheckClick(clickToken, "https://acme.test/pricing"));
        Assert.Null(links.CheckClick(clickToken, "https://evil.test/"));
        Assert.Null(links.CheckClick("6" + clickToken[1..], "https://acme.test/pricing"));
        Assert.Null(links.CheckOpen("garbage"));
    }

    [Fact]
    public void The_token_bucket_spreads_the_hourly_cap_and_the_rolling_windows_stop_at_the_caps()
    {
        var start = new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        var bucket = new TokenBucket(3600 / 3600.0, 60);
        Assert.Equal(60, bucket.Take(200, start));
        Assert.Equal(0, bucket.Take(200, start));
        Assert.Equal(10, bucket.Take(200, start.AddSeconds(10)));
        Assert.Equal(50, TokenBucket.Budget(200, 100, 50, 0, 0));
        Assert.Equal(0, TokenBucket.Budget(200, 100, 20, 1000, 1000));
        Assert.Equal(200, TokenBucket.Budget(200, 0, 5000, 0, 0));
    }
}
