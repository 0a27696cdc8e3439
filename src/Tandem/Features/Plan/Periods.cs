using NodaTime;

namespace Tandem.Features.Plan;

/// <summary>Quarters, years and ISO weeks of the company's calendar, in its time zone (Company:TimeZone), as UTC instants.</summary>
public sealed record Period(DateOnly Start, DateOnly End, string Label)
{
    /// <summary>End is exclusive: the first day after the period.</summary>
    public int Days => End.DayNumber - Start.DayNumber;

    public static Period Quarter(DateOnly day)
    {
        var q = (day.Month - 1) / 3;
        var start = new DateOnly(day.Year, q * 3 + 1, 1);
        return new Period(start, start.AddMonths(3), $"{day.Year}-Q{q + 1}");
    }

    public static Period Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1), $"{year}");

    /// <summary>"2027-Q1" or "2027"; null when it is neither.</summary>
    public static Period? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToUpperInvariant();
        if (t.Length == 7 && t[4] == '-' && t[5] == 'Q' && int.TryParse(t[..4], out var y) && t[6] is >= '1' and <= '4' && y is >= 1900 and < 2200)
            return Quarter(new DateOnly(y, (t[6] - '1') * 3 + 1, 1));
        return t.Length == 4 && int.TryParse(t, out var year) && year is >= 1900 and < 2200 ? Year(year) : null;
    }

    public Period Next() => Label.Contains('Q') ? Quarter(End) : Year(End.Year);
    public Period Previous() => Label.Contains('Q') ? Quarter(Start.AddDays(-1)) : Year(Start.Year - 1);

    public bool Contains(DateOnly day) => day >= Start && day < End;
}

public static class Periods
{
    /// <summary>Midnight at the start of <paramref name="day"/> in <paramref name="zone"/>, as UTC.</summary>
    public static DateTime Utc(DateOnly day, DateTimeZone zone) =>
        LocalDate.FromDateOnly(day).AtStartOfDayInZone(zone).ToDateTimeUtc();

    public static DateOnly Today(DateTime utcNow, DateTimeZone zone) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc)).InZone(zone).Date.ToDateOnly();

    /// <summary>The Monday of the ISO week <paramref name="day"/> is in.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>Mondays of the weeks that overlap the period, first to last.</summary>
    public static IEnumerable<DateOnly> Weeks(Period p)
    {
        for (var w = WeekOf(p.Start); w < p.End; w = w.AddDays(7)) yield return w;
    }

    public static DateTimeZone Zone(string? id) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(string.IsNullOrWhiteSpace(id) ? "UTC" : id.Trim())
        ?? throw new ArgumentException($"'{id}' is not a time zone name such as Europe/Berlin.", "Company:TimeZone");
}
