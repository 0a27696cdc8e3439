using Tandem.Features.People;
using Tandem.Data;
using Tandem.Features.Lifecycle;
using static Tandem.Data.LifecycleStage;

namespace Tandem.Tests.People;

public class StageRulesTests
{
    private static readonly StageFacts None = new(false, false, null);
    private static readonly StageFacts WithReason = new(false, false, "no budget");
    private static readonly StageFacts WithOpp = new(true, false, null);
    private static readonly StageFacts WithWon = new(true, true, null);

    [Theory]
    [InlineData(Inquiry, MQL)]
    [InlineData(MQL, SAL)]
    [InlineData(Inquiry, SAL)]
    [InlineData(Nurture, MQL)]
    [InlineData(Nurture, Inquiry)]
    [InlineData(Disqualified, Inquiry)]
    public void Forward_moves_without_an_opportunity_are_allowed(LifecycleStage from, LifecycleStage to) =>
        Assert.Null(StageRules.Check(from, to, None));

    [Fact]
    public void Inquiry_straight_to_Customer_without_an_opportunity_is_refused() =>
        Assert.Contains("won opportunity", StageRules.Check(Inquiry, Customer, None));

    [Fact]
    public void SQL_needs_an_opportunity()
    {
        Assert.Contains("opportunity", StageRules.Check(SAL, SQL, None));
        Assert.Null(StageRules.Check(SAL, SQL, WithOpp));
    }

    [Fact]
    public void Customer_needs_a_won_opportunity()
    {
        Assert.NotNull(StageRules.Check(SQL, Customer, WithOpp));
        Assert.Null(StageRules.Check(SQL, Customer, WithWon));
    }

    [Theory]
    [InlineData(SAL, MQL)]
    [InlineData(SQL, Inquiry)]
    [InlineData(MQL, Inquiry)]
    public void Moving_back_down_the_funnel_is_refused(LifecycleStage from, LifecycleStage to) =>
        Assert.Contains("cannot move back", StageRules.Check(from, to, WithWon));

    [Theory]
    [InlineData(Nurture)]
    [InlineData(Disqualified)]
    public void Side_states_need_a_reason(LifecycleStage to)
    {
        Assert.Contains("reason", StageRules.Check(MQL, to, None));
        Assert.Null(StageRules.Check(MQL, to, WithReason));
    }

    [Fact]
    public void A_customer_stays_a_customer()
    {
        foreach (var to in Enum.GetValues<LifecycleStage>().Where(s => s != Customer))
            Assert.NotNull(StageRules.Check(Customer, to, new StageFacts(true, true, "reason")));
    }

    [Fact]
    public void Disqualified_is_reopened_to_Inquiry_before_anything_else()
    {
        Assert.NotNull(StageRules.Check(Disqualified, MQL, None));
        Assert.NotNull(StageRules.Check(Disqualified, Nurture, WithReason));
        Assert.Null(StageRules.Check(Disqualified, Inquiry, None));
    }

    [Fact]
    public void Staying_at_the_same_stage_is_not_a_change() =>
        Assert.Contains("already", StageRules.Check(MQL, MQL, None));

    [Theory]
    [InlineData("Ann@Acme.COM ", "ann@acme.com")]
    [InlineData("  b.o+tag@Sub.Example.org", "b.o+tag@sub.example.org")]
    public void Emails_are_normalized(string raw, string normalized) => Assert.Equal(normalized, EmailAddress.Normalize(raw));

    [Theory]
    [InlineData("ann@acme.com", true)]
    [InlineData("ann@acme", false)]
    [InlineData("Ann <ann@acme.com>", false)]
    [InlineData("not an email", false)]
    [InlineData("", false)]
    [InlineData("a b@acme.com", false)]
    public void Email_validation(string email, bool valid) => Assert.Equal(valid, EmailAddress.IsValid(email));
}
