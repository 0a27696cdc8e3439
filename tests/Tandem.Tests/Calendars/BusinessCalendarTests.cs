using Microsoft.Extensions.Time.Testing;
using NodaTime;
using Tandem.Features.Calendars;

namespace Tandem.Tests.Calendars;

/// <summary>Hand-computed cases; comments give the local times so each expectation can be checked by eye.</summary>
public partial class BusinessCalendarTests
{
    private static readonly IsoDayOfWeek[] Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday];

    private static BusinessCalendar NineToFive(string zone, params LocalDate[] holidays) =>
        BusinessCalendar.Uniform(zone, Weekdays, new LocalTime(9, 0), new LocalTime(17, 0), holidays);

    private static Instant Local(string zone, int y, int mo, int d, int h, int mi = 0) =>
        new LocalDateTime(y, mo, d, h, mi).InZoneStrictly(DateTimeZoneProviders.Tzdb[zone]).ToInstant();

    [Fact]
    public void Hours_left_on_friday_carry_over_the_weekend_to_monday()
    {
        var berlin = NineToFive("Europe/Berlin");
        // Fri 6 Mar 15:00 CET + 4h = 2h on Friday, 2h on Monday → Mon 9 Mar 11:00 CET (10:00 UTC).
        Assert.Equal(Instant.FromUtc(2026, 3, 9, 10, 0), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 6, 15), 4));
    }

    [Fact]
    public void A_start_on_the_weekend_or_before_opening_counts_from_the_next_opening()
    {
        var berlin = NineToFive("Europe/Berlin");
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 9, 10), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 7, 12), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 9, 10), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 9, 7), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 10, 10), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 9, 20), 1));
    }

    [Fact]
    public void A_deadline_that_uses_up_the_day_lands_on_closing_time_not_next_morning()
    {
        var berlin = NineToFive("Europe/Berlin");
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 6, 17), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 6, 13), 4));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 6, 13), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 3, 6, 13), 0));
    }

    [Fact]
    public void Company_holidays_are_skipped()
    {
        var berlin = NineToFive("Europe/Berlin", new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25));
        // Wed 23 Dec 16:00 + 3h = 1h Wednesday; Thu 24 and Fri 25 are holidays; weekend; 2h Monday → Mon 28 Dec 11:00.
        Assert.Equal(Local("Europe/Berlin", 2026, 12, 28, 11), berlin.AddBusinessHours(Local("Europe/Berlin", 2026, 12, 23, 16), 3));
        Assert.Equal(Duration.FromHours(3),
            berlin.BusinessTimeBetween(Local("Europe/Berlin", 2026, 12, 23, 16), Local("Europe/Berlin", 2026, 12, 28, 11)));
    }

    [Fact]
    public void The_same_instant_gives_different_deadlines_for_users_in_different_time_zones()
    {
        var start = Instant.FromUtc(2026, 3, 4, 15, 0); // Wed: 16:00 in Berlin, 10:00 in New York, Thu 00:00 in Tokyo
        var holiday = new LocalDate(2026, 3, 5);
        // Berlin: 1h Wednesday, Thursday is a holiday, 3h Friday → Fri 12:00 CET = 11:00 UTC.
        Assert.Equal(Instant.FromUtc(2026, 3, 6, 11, 0), NineToFive("Europe/Berlin", holiday).AddBusinessHours(start, 4));
        // New York: 4h on Wednesday itself → 14:00 EST = 19:00 UTC; the holiday does not matter.
        Assert.Equal(Instant.FromUtc(2026, 3, 4, 19, 0), NineToFive("America/New_York", holiday).AddBusinessHours(start, 4));
        // Tokyo without the holiday: Thursday 09:00–13:00 JST = 04:00 UTC.
        Assert.Equal(Instant.FromUtc(2026, 3, 5, 4, 0), NineToFive("Asia/Tokyo").AddBusinessHours(start, 4));
        // The holiday is a local date in each zone: Tokyo's Thursday is off too, so Friday 13:00 JST.
        Assert.Equal(Instant.FromUtc(2026, 3, 6, 4, 0), NineToFive("Asia/Tokyo", holiday).AddBusinessHours(start, 4));
    }

    [Fact]
    public void Business_days_keep_the_time_of_day()
    {
        var berlin = NineToFive("Europe/Berlin", new LocalDate(2026, 3, 16));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 9, 15), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 6, 15), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 10, 9), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 7, 11), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 9, 17), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 6, 17), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 10, 9), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 6, 18), 1));
        // Fri 13 Mar + 1 day skips the holiday on Mon 16 Mar.
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 17, 10), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 13, 10), 1));
        Assert.Equal(Local("Europe/Berlin", 2026, 3, 13, 10), berlin.AddBusinessDays(Local("Europe/Berlin", 2026, 3, 6, 10), 5));
    }

    [Fact]
    public void Business_time_between_counts_only_working_windows_and_is_signed()
    {
        var berlin = NineToFive("Europe/Berlin");
        var a = Local("Europe/Berlin", 2026, 3, 6, 15); // Fri
        var b = Local("Europe/Berlin", 2026, 3, 10, 10); // Tue: 2h Fri + 8h Mon + 1h Tue
        Assert.Equal(Duration.FromHours(11), berlin.BusinessTimeBetween(a, b));
        Assert.Equal(Duration.FromHours(-11), berlin.BusinessTimeBetween(b, a));
        Assert.Equal(Duration.Zero, berlin.BusinessTimeBetween(a, a));
        Assert.Equal(Duration.Zero, berlin.BusinessTimeBetween(Local("Europe/Berlin", 2026, 3, 7, 8), Local("Europe/Berlin", 2026, 3, 8, 20)));
    }

    [Fact]
    public void Utc_datetimes_from_the_database_work_like_instants()
    {
        var berlin = NineToFive("Europe/Berlin");
        var stored = DateTime.SpecifyKind(new DateTime(2026, 3, 6, 14, 0, 0), DateTimeKind.Unspecified); // as SQLite hands it back
        var deadline = berlin.AddBusinessHours(stored, 4);
        Assert.Equal(new DateTime(2026, 3, 9, 10, 0, 0, DateTimeKind.Utc), deadline);
        Assert.Equal(DateTimeKind.Utc, deadline.Kind);
        Assert.Equal(TimeSpan.FromHours(4), berlin.BusinessTimeBetween(stored, deadline));
        Assert.Equal(new DateTime(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc), berlin.AddBusinessDays(stored, 1));
    }

    [Fact]
    public void An_sla_countdown_on_a_fake_clock_stands_still_over_the_weekend()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 6, 14, 0, 0, TimeSpan.Zero)); // Fri 15:00 Berlin
        var berlin = NineToFive("Europe/Berlin");
        var deadline = berlin.AddBusinessHours(Instant.FromDateTimeOffset(clock.GetUtcNow()), 4);
        Duration Left() => berlin.BusinessTimeBetween(Instant.FromDateTimeOffset(clock.GetUtcNow()), deadline);

        Assert.Equal(Duration.FromHours(4), Left());
        clock.Advance(TimeSpan.FromHours(2)); // Fri 17:00
        Assert.Equal(Duration.FromHours(2), Left());
        clock.Advance(TimeSpan.FromHours(62)); // Mon 07:00: nothing of the weekend counted
        Assert.Equal(Duration.FromHours(2), Left());
        clock.Advance(TimeSpan.FromHours(4)); // Mon 11:00: due now
        Assert.Equal(Duration.Zero, Left());
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(Duration.FromMinutes(-30), Left()); // breached by half an hour of business time
    }

    [Fact]
    public void Adding_then_measuring_gives_back_the_same_business_time_every_quarter_hour_of_a_dst_month()
    {
        foreach (var zone in new[] { "Europe/Berlin", "America/New_York" })
        {
            var calendar = NineToFive(zone, new LocalDate(2026, 3, 12));
            for (var start = Instant.FromUtc(2026, 3, 1, 0, 0); start < Instant.FromUtc(2026, 4, 5, 0, 0); start += Duration.FromMinutes(15))
                foreach (var hours in new[] { 0.25, 3, 8, 19.5 })
                {
                    var deadline = calendar.AddBusinessHours(start, hours);
                    Assert.True(deadline >= start);
                    Assert.Equal(Duration.FromHours(hours), calendar.BusinessTimeBetween(start, deadline));
                }
        }
    }
}
