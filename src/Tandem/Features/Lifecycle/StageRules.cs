using Tandem.Data;

namespace Tandem.Features.Lifecycle;

/// <summary>What is known about a person when a stage change is asked for.</summary>
public readonly record struct StageFacts(bool HasOpportunity, bool HasWonOpportunity, string? Reason);

/// <summary>
/// Which lifecycle moves are allowed. Pure, so every rule is tested without a database.
/// The funnel only moves forward (skips allowed up to SAL); going back is done through the side states
/// Nurture and Disqualified, which need a reason. SQL needs an opportunity and Customer a won one,
/// so the funnel figures cannot be inflated by hand.
/// </summary>
public static class StageRules
{
    private static int Rank(LifecycleStage s) => s switch
    {
        LifecycleStage.Inquiry => 0,
        LifecycleStage.MQL => 1,
        LifecycleStage.SAL => 2,
        LifecycleStage.SQL => 3,
        LifecycleStage.Customer => 4,
        _ => -1,
    };

    /// <summary>Null when the move is allowed, else a sentence saying why not.</summary>
    public static string? Check(LifecycleStage? from, LifecycleStage to, StageFacts facts)
    {
        if (from == to) return $"The person is already at {to}.";
        if (from == LifecycleStage.Customer) return "A Customer stays a Customer; lifecycle stages do not move back from Customer.";

        switch (to)
        {
            case LifecycleStage.Nurture or LifecycleStage.Disqualified when string.IsNullOrWhiteSpace(facts.Reason):
                return $"Moving to {to} needs a reason.";
            case LifecycleStage.Nurture when from == LifecycleStage.Disqualified:
                return "A Disqualified person is re-opened to Inquiry first, then nurtured.";
            case LifecycleStage.Nurture or LifecycleStage.Disqualified:
                return null;
            case LifecycleStage.Inquiry:
                return from is null or LifecycleStage.Nurture or LifecycleStage.Disqualified
                    ? null
                    : $"{from} cannot move back to Inquiry; use Nurture or Disqualified.";
        }

        if (from == LifecycleStage.Disqualified) return $"A Disqualified person is re-opened to Inquiry before moving to {to}.";
        if (to == LifecycleStage.SQL && !facts.HasOpportunity)
            return "SQL needs an opportunity with this person as its primary contact; create the opportunity first.";
        if (to == LifecycleStage.Customer && !facts.HasWonOpportunity)
            return "Customer needs a won opportunity for this person or their account.";

        var fromRank = from is { } f ? Rank(f) : -1;
        if (from is not null and not LifecycleStage.Nurture && Rank(to) <= fromRank)
            return $"{from} cannot move back to {to}; use Nurture or Disqualified.";
        return null;
    }

    /// <summary>
    /// Moves an opportunity makes of its primary contact: forward only. A deal moves anyone before SQL to SQL (from the side
    /// states too: a deal is evidence the person is in play again); a won deal moves anyone but a Customer to Customer.
    /// </summary>
    public static bool OpportunityMoves(LifecycleStage from, LifecycleStage to) => to switch
    {
        LifecycleStage.SQL => from is LifecycleStage.Inquiry or LifecycleStage.MQL or LifecycleStage.SAL or LifecycleStage.Nurture or LifecycleStage.Disqualified,
        LifecycleStage.Customer => from != LifecycleStage.Customer,
        _ => false,
    };
}
