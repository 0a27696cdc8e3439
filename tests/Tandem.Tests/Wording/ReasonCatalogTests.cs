using Tandem.Features.Handoffs;

namespace Tandem.Tests.Wording;

public class ReasonCatalogTests
{
    [Fact]
    public void The_two_wordings_of_timing_are_one_reason()
    {
        Assert.Equal("No budget or timing now", Reasons.Label("Not ready: timing"));
        Assert.Equal("No budget or timing now", Reasons.Label("no-budget-or-timing"));
        Assert.Equal(Reasons.Find("Not ready: timing"), Reasons.Find("No budget or timing now"));
    }

    [Fact]
    public void Codes_read_as_labels_and_unknown_text_as_written()
    {
        Assert.Equal("Not our ideal customer", Reasons.Label("not-ideal-customer"));
        Assert.Equal("Moved to a partner", Reasons.Label(" Moved to a partner "));
        Assert.Null(Reasons.Label(null));
    }

    [Fact]
    public void The_rejection_list_stored_in_the_database_is_the_catalogs_rejection_reasons() =>
        Assert.Equal(RoutingConfiguration.Seed.Select(s => (s.Code, s.Label)),
            Reasons.All.Where(r => r.Uses.HasFlag(ReasonUse.Reject)).Select(r => (r.Code, r.Label)));

    [Fact]
    public void Every_reason_the_demo_gives_is_in_the_catalog()
    {
        string[] given = [.. Tandem.Features.Demo.DemoProfile.SalesReject, .. Tandem.Features.Demo.DemoProfile.SalesNurture,
            .. Tandem.Features.Demo.DemoProfile.InquiryDisqualify, .. Tandem.Features.Demo.DemoProfile.InquiryNurture,
            .. Tandem.Features.Demo.DemoProfile.LossReasons, .. Tandem.Features.Demo.DemoProfile.NoDecisionReasons, .. Tandem.Features.Demo.DemoProfile.WinReasons,
            Tandem.Features.Demo.DemoProfile.OutOfBusiness];
        Assert.All(given, g => Assert.Equal(g, Reasons.Find(g)?.Label));
    }
}
