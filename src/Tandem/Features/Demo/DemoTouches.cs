using Tandem.Data;
using Tandem.Features.People;
using Tandem.Features.Touches;

namespace Tandem.Features.Demo;

/// <summary>
/// A person's engagement: the touch that brought them in, the touches around each stage move and ordinary
/// browsing and email activity spread over their life so far. About ten per person, every type represented.
/// </summary>
internal sealed class DemoTouches(DemoCompany co, DemoChunk chunk, Person p, int channel, DateTime lastMove,
    List<(DateTime At, TouchType Type, Channel Channel)> moments)
{
    public DemoRandom Rng;
    private int _n;

    private static readonly (TouchType Type, double Weight)[] Engagement =
    [
        (TouchType.WebVisit, 30), (TouchType.EmailOpen, 25), (TouchType.EmailClick, 10), (TouchType.ContentDownload, 6),
        (TouchType.PricingPageVisit, 5), (TouchType.SocialEngagement, 5), (TouchType.AdClick, 5), (TouchType.Chat, 3),
        (TouchType.WebinarRegistered, 3), (TouchType.EventAttended, 2), (TouchType.CareersPageVisit, 2), (TouchType.Other, 2),
        (TouchType.Unsubscribe, 1), (TouchType.ContactRequest, 1),
    ];

    private static readonly double Total = Engagement.Sum(e => e.Weight);

    private static readonly string[] PageProps = [.. DemoProfile.Pages.Select(x => $$"""{"page":"{{x}}"}""")];

    public void Run()
    {
        var profile = DemoProfile.Channels[channel];
        Add(p.CreatedAt.AddMinutes(-Rng.Between(1, 30)), profile.FirstTouch, profile.Channel);
        // Anonymous first touches become an inquiry by filling in a form.
        if (profile.FirstTouch is TouchType.AdClick or TouchType.WebVisit or TouchType.SocialEngagement or TouchType.EmailClick or TouchType.Other)
            Add(p.CreatedAt, TouchType.FormFill, profile.Channel);
        if (profile.Channel == Channel.Webinar && Rng.Chance(0.6)) Add(p.CreatedAt.AddDays(Rng.Between(1, 14)), TouchType.WebinarAttended, Channel.Webinar);
        foreach (var (at, type, ch) in moments) Add(at, type, ch);

        var end = Min(co.Now, lastMove.AddDays(120));
        var span = (end - p.CreatedAt).TotalSeconds;
        var count = 3 + Rng.Next(11);
        for (var i = 0; i < count; i++)
        {
            var type = PickType();
            Add(p.CreatedAt.AddSeconds(Math.Round(Rng.Next() * span)), type, ChannelOf(type, profile.Channel));
        }
    }

    private void Add(DateTime at, TouchType type, Channel ch)
    {
        if (at > co.Now || at < co.Start) return;
        // Organic and miscellaneous activity mostly happens outside any campaign.
        int? campaign = ch is Channel.Organic or Channel.Other && Rng.Chance(0.7) ? null : co.CampaignId((int)ch, at);
        var props = type switch
        {
            TouchType.WebVisit => Rng.Pick(PageProps),
            TouchType.PricingPageVisit => PageProps[2],
            TouchType.AdClick => """{"utm_source":"google","utm_medium":"cpc"}""",
            _ => null,
        };
        chunk.Touches.Add(new TouchRow($"demo-{p.Id}-{++_n}", p.Id, type, ch, campaign, at, at, props));
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
        TouchType.EmailOpen or TouchType.EmailClick or TouchType.Unsubscribe => Channel.Email,
        TouchType.ContentDownload => Channel.Content,
        TouchType.SocialEngagement => Channel.Social,
        TouchType.AdClick => Channel.PaidSearch,
        TouchType.WebinarRegistered => Channel.Webinar,
        TouchType.EventAttended => Channel.Event,
        TouchType.Chat or TouchType.CareersPageVisit => Channel.Organic,
        TouchType.ContactRequest => source,
        _ => Channel.Other,
    };

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
