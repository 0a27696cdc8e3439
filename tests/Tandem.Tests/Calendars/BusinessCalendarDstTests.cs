using NodaTime;
using Tandem.Features.Calendars;

namespace Tandem.Tests.Calendars;

/// <summary>Daylight saving: Berlin changes on 29 Mar / 25 Oct 2026, New York on 8 Mar / 1 Nov 2026 (all Sundays).</summary>
public partial class BusinessCalendarTests
{
    private static BusinessCalendar EveryDay(string zone, int startHour, int endHour) =>
        BusinessCalendar.Uniform(zone, Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None),
            new LocalTime(startHour, 0), new LocalTime(endHour, 0));

    [Fact]
    public void Spring_forward_over_the_weekend_moves_monday_opening_an_hour_earlier_in_utc()
    {
        // Berlin: Fri 27 Mar 16:00 CET (15:00 UTC) + 2h = 1h Friday + 1h Monday → Mon 30 Mar 10:00 CEST = 08:00 UTC.
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 8, 0), NineToFive("Europe/Berlin").AddBusinessHours(Instant.FromUtc(2026, 3, 27, 15, 0), 2));
        // New York: Fri 6 Mar 16:00 EST (21:00 UTC) + 2h → Mon 9 Mar 10:00 EDT = 14:00 UTC.
        var ny = NineToFive("America/New_York");
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 14, 0), ny.AddBusinessHours(Instant.FromUtc(2026, 3, 6, 21, 0), 2));
        Assert.Equal(Duration.FromHours(2), ny.BusinessTimeBetween(Instant.FromUtc(2026, 3, 6, 21, 0), Instant.FromUtc(2026, 3, 9, 14, 0)));
    }

    [Fact]
    public void Fall_back_over_the_weekend_moves_monday_opening_an_hour_later_in_utc()
    {
        // Berlin: Fri 23 Oct 16:00 CEST (14:00 UTC) + 2h → Mon 26 Oct 10:00 CET = 09:00 UTC.
        Assert.Equal(Instant.FromUtc(2026, 10, 26, 9, 0), NineToFive("Europe/Berlin").AddBusinessHours(Instant.FromUtc(2026, 10, 23, 14, 0), 2));
        // New York: Fri 30 Oct 16:00 EDT (20:00 UTC) + 2h → Mon 2 Nov 10:00 EST = 15:00 UTC.
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 15, 0), NineToFive("America/New_York").AddBusinessHours(Instant.FromUtc(2026, 10, 30, 20, 0), 2));
    }

    [Fact]
    public void A_working_window_that_spans_the_change_is_as_long_as_it_really_is()
    {
        // 00:00–06:00 local on the change days: 5 real hours in spring, 7 in autumn.
        var berlin = EveryDay("Europe/Berlin", 0, 6);
        Assert.Equal(Duration.FromHours(5), berlin.BusinessTimeBetween(Instant.FromUtc(2026, 3, 28, 12, 0), Instant.FromUtc(2026, 3, 29, 12, 0)));
        Assert.Equal(Duration.FromHours(7), berlin.BusinessTimeBetween(Instant.FromUtc(2026, 10, 24, 12, 0), Instant.FromUtc(2026, 10, 25, 12, 0)));
        var ny = EveryDay("America/New_York", 0, 6);
        Assert.Equal(Duration.FromHours(5), ny.BusinessTimeBetween(Instant.FromUtc(2026, 3, 7, 12, 0), Instant.FromUtc(2026, 3, 8, 12, 0)));
        Assert.Equal(Duration.FromHours(7), ny.BusinessTimeBetween(Instant.FromUtc(2026, 10, 31, 12, 0), Instant.FromUtc(2026, 11, 1, 12, 0)));
    }

    [Fact]
    public void Hours_added_across_the_skipped_hour_are_real_hours()
    {
        // New York, Sun 8 Mar: 01:00 EST (06:00 UTC) + 2 business hours = 08:00 UTC, which reads 04:00 EDT.
        var ny = EveryDay("America/New_York", 1, 5);
        var deadline = ny.AddBusinessHours(Instant.FromUtc(2026, 3, 8, 6, 0), 2);
        Assert.Equal(Instant.FromUtc(2026, 3, 8, 8, 0), deadline);
        Assert.Equal(new LocalTime(4, 0), deadline.InZone(ny.Zone).TimeOfDay);
    }

    [Fact]
    public void Business_days_across_spring_forward_keep_the_local_time()
    {
        // Fri 27 Mar 15:00 CET (14:00 UTC) + 1 business day = Mon 30 Mar 15:00 CEST (13:00 UTC).
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 13, 0), NineToFive("Europe/Berlin").AddBusinessDays(Instant.FromUtc(2026, 3, 27, 14, 0), 1));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_naming_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => NineToFive("Europe/Atlantis"));
        Assert.Equal("timeZone", e.ParamName);
        Assert.Contains("Europe/Atlantis", e.Message);
    }

    [Fact]
    public void A_calendar_without_working_hours_is_refused_naming_the_field()
    {
        var none = Assert.Throws<ArgumentException>(() => BusinessCalendar.Uniform("Europe/Berlin", [], new LocalTime(9, 0), new LocalTime(17, 0)));
        Assert.Equal("workingDays", none.ParamName);
        var empty = Assert.Throws<ArgumentException>(() => BusinessCalendar.Uniform("Europe/Berlin", Weekdays, new LocalTime(9, 0), new LocalTime(9, 0)));
        Assert.Equal("workingHours", empty.ParamName);
        Assert.Contains("working hours", empty.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NineToFive("UTC").AddBusinessHours(Instant.FromUtc(2026, 1, 1, 0, 0), -1));
    }

    [Fact]
    public void Working_days_are_read_from_user_settings()
    {
        Assert.Equal([IsoDayOfWeek.Monday, IsoDayOfWeek.Sunday], Tandem.Features.Calendars.WorkCalendars.ParseDays("Mon, sun"));
        Assert.Null(Tandem.Features.Calendars.WorkCalendars.ParseDays("Mon,Funday"));
        Assert.Equal("Mon,Wed,Sun", Tandem.Features.Calendars.WorkCalendars.FormatDays([IsoDayOfWeek.Sunday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Monday]));
    }
}
