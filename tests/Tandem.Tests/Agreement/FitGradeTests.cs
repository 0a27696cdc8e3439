using Tandem.Data;
using Tandem.Features.Agreement;

namespace Tandem.Tests.Agreement;

public class FitGradeTests
{
    private static readonly FitSection Fit = new(
        [
            new FitRule("account.employees", "gte", 30, Number: 50),
            new FitRule("account.industry", "in", 20, Values: ["Software", "Healthcare"]),
            new FitRule("person.title", "contains", 20, Values: ["VP", "Director"]),
            new FitRule("account.country", "notIn", -10, Values: ["United States", "Canada"]),
            new FitRule("person.personalEmail", "isTrue", -40),
            new FitRule("person.prop.segment", "in", 15, Values: ["Enterprise"]),
        ],
        [new GradeBand(Grade.A, 60, null), new GradeBand(Grade.B, 40, 59), new GradeBand(Grade.C, 20, 39), new GradeBand(Grade.D, null, 19)]);

    private static FitSubject Subject(string email = "ann@acme.com", string? title = "VP Sales", string? industry = "software", int? employees = 120,
        string? country = "Canada", Dictionary<string, string>? props = null) =>
        new(email, title, Channel.Organic, industry, employees, null, country, null, "Active", props);

    [Fact]
    public void Each_matching_rule_moves_the_grade()
    {
        var r = FitGrade.Evaluate(Fit, Subject());
        Assert.Equal(70, r.Points);
        Assert.Equal(Grade.A, r.Grade);
        Assert.Equal([true, true, true, false, false, false], r.Lines.Select(l => l.Matched));

        Assert.Equal(Grade.B, FitGrade.Evaluate(Fit, Subject(title: "Engineer")).Grade);          // 50
        Assert.Equal(Grade.C, FitGrade.Evaluate(Fit, Subject(title: null, industry: "Retail")).Grade); // 30
        Assert.Equal(Grade.D, FitGrade.Evaluate(Fit, Subject(title: null, industry: null, employees: 10, country: "France")).Grade); // -10
    }

    [Fact]
    public void A_personal_email_lowers_the_grade_and_missing_values_never_match_positive_tests()
    {
        Assert.Equal(30, FitGrade.Evaluate(Fit, Subject(email: "ann@gmail.com")).Points);
        var unknown = FitGrade.Evaluate(Fit, Subject(title: null, industry: null, employees: null, country: null));
        Assert.Equal(-10, unknown.Points); // an unknown country is "not in" the list
    }

    [Fact]
    public void Custom_properties_can_be_graded()
    {
        Assert.Equal(85, FitGrade.Evaluate(Fit, Subject(props: new() { ["segment"] = "enterprise" })).Points);
    }

    [Fact]
    public void Exclusions_name_what_applies()
    {
        var x = new ExclusionSection(true, true, true, true, ["rival.com"]);
        Assert.Equal("competitor", Qualification.Exclusion(x, Subject(email: "spy@Rival.com")));
        Assert.Equal("personal email", Qualification.Exclusion(x, Subject(email: "a@yahoo.com")));
        Assert.Equal("student", Qualification.Exclusion(x, Subject(title: "MBA Student")));
        Assert.Equal("job seeker", Qualification.Exclusion(x, Subject(title: "Open to work")));
        Assert.Null(Qualification.Exclusion(x, Subject()));
        Assert.Null(Qualification.Exclusion(x with { PersonalEmail = false }, Subject(email: "a@yahoo.com")));
    }

    [Fact]
    public void Qualification_needs_fit_and_score_or_a_fast_track_and_never_an_exclusion()
    {
        var q = new QualifySection(Grade.B, 60, [new FastTrack(TouchType.DemoRequest, Grade.C)]);
        Assert.Equal(Verdict.Score, Qualification.Decide(q, Grade.B, 60, TouchType.WebVisit, null));
        Assert.Equal(Verdict.No, Qualification.Decide(q, Grade.C, 99, TouchType.WebVisit, null));
        Assert.Equal(Verdict.No, Qualification.Decide(q, Grade.A, 59.99, TouchType.WebVisit, null));
        Assert.Equal(Verdict.FastTrack, Qualification.Decide(q, Grade.C, 0, TouchType.DemoRequest, null));
        Assert.Equal(Verdict.No, Qualification.Decide(q, Grade.D, 0, TouchType.DemoRequest, null));
        Assert.Equal(Verdict.Excluded, Qualification.Decide(q, Grade.A, 100, TouchType.DemoRequest, "competitor"));
    }

    [Fact]
    public void Only_inquiries_and_nurtured_people_past_their_reengage_date_are_eligible()
    {
        var now = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.True(Qualification.Eligible(LifecycleStage.Inquiry, null, now));
        Assert.True(Qualification.Eligible(LifecycleStage.Nurture, now, now));
        Assert.False(Qualification.Eligible(LifecycleStage.Nurture, now.AddDays(1), now));
        Assert.False(Qualification.Eligible(LifecycleStage.MQL, null, now));
        Assert.False(Qualification.Eligible(LifecycleStage.Disqualified, null, now));
    }

    [Fact]
    public void The_definition_reads_as_plain_language()
    {
        Assert.Equal("Fit B or better, and score 60 or more; or a demo request from fit C or better; or a contact request from fit B or better; "
            + "never students, job seekers, competitors, personal email or disqualified accounts.", PlainLanguage.Summary(StarterDefinition.Content));
    }
}
