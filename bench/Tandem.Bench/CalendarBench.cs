using System.Diagnostics;
using NodaTime;
using Tandem.Features.Calendars;

namespace Tandem.Bench;

/// <summary>
/// Business-calendar arithmetic, the part of SLA evaluation that runs per lead: deadlines in business hours and
/// days, and the business time left. Starts spread over a year (weekends, DST changes, holidays) in three zones.
/// </summary>
public static class CalendarBench
{
    public static IEnumerable<string> Run(int count)
    {
        var holidays = new[] { new LocalDate(2026, 1, 1), new LocalDate(2026, 4, 3), new LocalDate(2026, 5, 1), new LocalDate(2026, 12, 25) };
        var weekdays = new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday };
        var calendars = new[] { "Europe/Berlin", "America/New_York", "Asia/Tokyo" }
            .Select(z => BusinessCalendar.Uniform(z, weekdays, new LocalTime(9, 0), new LocalTime(17, 0), holidays)).ToArray();
        var random = new Random(42);
        var starts = Enumerable.Range(0, count).Select(_ => Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(random.Next(0, 365 * 24 * 60))).ToArray();
        Measure(calendars, starts, (c, s) => c.AddBusinessHours(s, 4).ToUnixTimeTicks()); // warm-up: JIT and time zone caches

        yield return Row("`BusinessCalendar.AddBusinessHours(start, 4)`", count,
            Measure(calendars, starts, (c, s) => c.AddBusinessHours(s, 4).ToUnixTimeTicks()));
        yield return Row("`BusinessCalendar.AddBusinessDays(start, 2)`", count,
            Measure(calendars, starts, (c, s) => c.AddBusinessDays(s, 2).ToUnixTimeTicks()));
        yield return Row("`BusinessCalendar.BusinessTimeBetween(start, start + 3 days)`", count,
            Measure(calendars, starts, (c, s) => c.BusinessTimeBetween(s, s + Duration.FromDays(3)).BclCompatibleTicks));
    }

    private static TimeSpan Measure(BusinessCalendar[] calendars, Instant[] starts, Func<BusinessCalendar, Instant, long> op)
    {
        var clock = Stopwatch.StartNew();
        long sink = 0;
        for (var i = 0; i < starts.Length; i++) sink ^= op(calendars[i % calendars.Length], starts[i]);
        clock.Stop();
        if (sink == 42) Console.WriteLine(); // keeps the results alive
        return clock.Elapsed;
    }

    private static string Row(string what, int count, TimeSpan t) =>
        $"| {what}, {count:N0} calls over 3 zones | {t.TotalSeconds:0.00} | {count / t.TotalSeconds:N0} calls/s | n/a |";
}
