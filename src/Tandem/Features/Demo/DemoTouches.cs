using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Demo;

/// <summary>
/// Schedules a person's engagement: the touch that brought them in, ordinary browsing and email activity over their
/// life, and — for people in market — bursts of buying signals (pricing, content, webinars, sometimes a demo request).
/// Whether a burst makes an MQL is not decided here: the lead definition's engine decides, as it would live.
/// </summary>
internal sealed class DemoTouches(DemoCompany co, DemoEvents events, Person p, ChannelProfile profile)
{
    public DemoRandom Rng;

    private static readonly (TouchType Type, double Weight)[] Engagement =
    [
        (TouchType.WebVisit, 30), (TouchType.EmailOpen, 25), (TouchType.EmailClick, 10), (TouchType.ContentDownload, 6),
        (TouchType.PricingPageVisit, 4), (TouchType.SocialEngagement, 5), (TouchType.AdClick, 5), (TouchType.Chat, 2),
        (TouchType.WebinarRegistered, 3), (TouchType.EventAttended, 1), (TouchType.CareersPageVisit, 2), (TouchType.Other, 2),
        (TouchType.Unsubscribe, 1), (TouchType.Bounce, 0.5),
    ];

    private static readonly double Total = Engagement.Sum(e => e.Weight);

    public void Arrival()
    {
        Add(p.CreatedAt.AddMinutes(-Rng.Between(1, 30)), profile.FirstTouch, profile.Channel);
        // Anonymous first touches become an inquiry by filling in a form.
        if (profile.FirstTouch is TouchType.AdClick or TouchType.WebVisit or TouchType.SocialEngagement or TouchType.EmailClick or TouchType.Other)
            Add(p.CreatedAt, TouchType.FormFill, profile.Channel);
        if (profile.Channel == Channel.Webinar && Rng.Chance(0.6)) Add(p.CreatedAt.AddDays(Rng.Between(1, 14)), TouchType.WebinarAttended, Channel.Webinar);
        var span = Rng.Between(30, 400) * 86_400;
        var count = 3 + Rng.Next(11);
        for (var i = 0; i < count; i++)
        {
            var type = PickType();
            Add(p.CreatedAt.AddSeconds(Math.Round(Rng.Next() * span)), type, ChannelOf(type, profile.Channel));
        }
    }

    /// <summary>A few days of buying signals starting at <paramref name="start"/>.</summary>
    public void Burst(DateTime start)
    {
        var at = start;
        DateTime Later(double maxDays) => at = at.AddSeconds(Math.Round(Rng.Between(0.05, maxDays) * 86_400));
        for (var i = 1 + Rng.Next(3); i > 0; i--) Add(Later(2), TouchType.WebVisit, Rng.Chance(0.5) ? profile.Channel : Channel.Organic);
        for (var i = 1 + Rng.Next(3); i > 0; i--) Add(Later(2), TouchType.PricingPageVisit, Rng.Chance(0.4) ? profile.Channel : Channel.Organic);
        for (var i = Rng.Next(3); i > 0; i--) Add(Later(3), TouchType.ContentDownload, Channel.Content);
        for (var i = Rng.Next(3); i > 0; i--) Add(Later(2), TouchType.EmailClick, Channel.Email);
        if (Rng.Chance(0.3)) Add(Later(5), TouchType.WebinarAttended, Channel.Webinar);
        var ask = Rng.Next();
        if (ask < 0.4) Add(Later(3), TouchType.DemoRequest, profile.Channel);
        else if (ask < 0.5) Add(Later(3), TouchType.ContactRequest, profile.Channel);
    }

    public void Add(DateTime at, TouchType type, Channel ch)
    {
        if (at > co.Now || at < co.Start) return;
        events.Touch(at, type, ch);
    }

    private TouchType PickType()
    {
        var u = Rng.Next() * Total;
        foreach (var (type, weight) in Engagement)
            if ((u -= weight) < 0) return type;
        return TouchType.WebVisit;
    }

    private Channel ChannelOf(TouchType type, Channel source) => type switch
    {
        TouchType.WebVisit or TouchType.PricingPageVisit => Rng.Chance(0.4) ? source : Channel.Organic,
        TouchType.EmailOpen or TouchType.EmailClick or TouchType.Unsubscribe or TouchType.Bounce => Channel.Email,
        TouchType.ContentDownload => Channel.Content,
        TouchType.SocialEngagement => Channel.Social,
        TouchType.AdClick => Channel.PaidSearch,
        TouchType.WebinarRegistered => Channel.Webinar,
        TouchType.EventAttended => Channel.Event,
        TouchType.Chat or TouchType.CareersPageVisit => Channel.Organic,
        _ => Channel.Other,
    };
}
