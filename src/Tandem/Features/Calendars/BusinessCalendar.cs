using NodaTime;

namespace Tandem.Features.Calendars;

/// <summary>One day's working window in local time: [Start, End).</summary>
public readonly record struct WorkingHours(LocalTime Start, LocalTime End)
{
    public static WorkingHours NineToFive => new(new LocalTime(9, 0), new LocalTime(17, 0));
}

/// <summary>
/// When someone works: a time zone, working hours per weekday and company holidays (local dates).
/// Pure: no clock, no database. SLA deadlines and elapsed business time are computed here.
/// </summary>
/// <remarks>
/// Business time is real elapsed time inside working windows. Each window's ends are mapped from local
/// time to instants leniently (a local time skipped by a DST jump moves forward by the gap; an
/// ambiguous one takes the earlier instant), so a window that spans a DST change is an hour shorter
/// or longer, as it really is. Holidays are local dates in the calendar's own zone: Christmas in
/// Berlin and Christmas in New York are different instants. See docs/decisions/0015-business-calendars.md.
/// </remarks>
public sealed class BusinessCalendar
{
    /// <summary>Far enough to cross any realistic run of holidays; a guard against an endless loop.</summary>
    private const int MaxDaysScanned = 3660;

    private readonly WorkingHours?[] _hours = new WorkingHours?[8]; // indexed by IsoDayOfWeek (1..7)
    private readonly HashSet<LocalDate> _holidays;

    public DateTimeZone Zone { get; }
    public IReadOnlySet<LocalDate> Holidays => _holidays;

    /// <param name="timeZone">IANA zone id, such as Europe/Berlin.</param>
    /// <param name="hours">Working hours for each working weekday; days not listed are off.</param>
    /// <param name="holidays">Company holidays, as local dates.</param>
    /// <exception cref="ArgumentException">Names the field: timeZone, workingDays or workingHours.</exception>
    public BusinessCalendar(string timeZone, IReadOnlyDictionary<IsoDayOfWeek, WorkingHours> hours, IEnumerable<LocalDate>? holidays = null)
    {
        if (string.IsNullOrWhiteSpace(timeZone) || DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone.Trim()) is not { } zone)
            throw new ArgumentException($"'{timeZone}' is not an IANA time zone (for example Europe/Berlin).", nameof(timeZone));
        if (hours.Count == 0)
            throw new ArgumentException("A calendar needs at least one working day with working hours.", "workingDays");
        foreach (var (day, h) in hours)
        {
            if (day == IsoDayOfWeek.None) throw new ArgumentException("'None' is not a day of the week.", "workingDays");
            if (h.End <= h.Start)
                throw new ArgumentException($"Working hours on {day} end ({h.End:HH:mm}) before they start ({h.Start:HH:mm}): a calendar needs working hours.", "workingHours");
            _hours[(int)day] = h;
        }
        Zone = zone;
        _holidays = [.. holidays ?? []];
    }

    /// <summary>The same hours on each of <paramref name="days"/>, the usual shape of a user's settings.</summary>
    public static BusinessCalendar Uniform(string timeZone, IEnumerable<IsoDayOfWeek> days, LocalTime start, LocalTime end,
        IEnumerable<LocalDate>? holidays = null) =>
        new(timeZone, days.Distinct().ToDictionary(d => d, _ => new WorkingHours(start, end)), holidays);

    public bool IsWorkingDate(LocalDate date) => _hours[(int)date.DayOfWeek] is not null && !_holidays.Contains(date);

    /// <summary>The working window of a date as instants, or null on a day off.</summary>
    public (Instant Start, Instant End)? WindowOn(LocalDate date) =>
        IsWorkingDate(date) && _hours[(int)date.DayOfWeek] is { } h
            ? (Zone.AtLeniently(date + h.Start).ToInstant(), Zone.AtLeniently(date + h.End).ToInstant())
            : null;

    /// <summary>
    /// The instant at which <paramref name="amount"/> of business time has passed since <paramref name="start"/>.
    /// A deadline that uses up a window exactly lands on that window's end (Friday 13:00 + 4h = Friday 17:00).
    /// </summary>
    public Instant AddBusinessTime(Instant start, Duration amount)
    {
        if (amount < Duration.Zero) throw new ArgumentOutOfRangeException(nameof(amount), "Business time to add must not be negative.");
        var remaining = amount;
        var date = start.InZone(Zone).Date;
        for (var i = 0; i < MaxDaysScanned; i++, date = date.PlusDays(1))
        {
            if (WindowOn(date) is not (var ws, var we) || we <= start) continue;
            var from = ws > start ? ws : start;
            var available = we - from;
            if (remaining <= available) return from + remaining;
            remaining -= available;
        }
        throw new InvalidOperationException($"No working time found within {MaxDaysScanned} days of {start}: check the holidays.");
    }

    public Instant AddBusinessHours(Instant start, double hours) => AddBusinessTime(start, Duration.FromHours(hours));

    /// <summary>The same for a UTC <see cref="DateTime"/>, as stored in the database (Unspecified is read as UTC).</summary>
    public DateTime AddBusinessHours(DateTime utcStart, double hours) =>
        AddBusinessHours(ToInstant(utcStart), hours).ToDateTimeUtc();

    /// <summary>
    /// The same local time of day <paramref name="days"/> working days later ("accept within 2 business days").
    /// A start outside working hours counts from the next window's start; a start exactly at a window's end
    /// stays at end of day. The time of day is kept within the target day's window.
    /// </summary>
    public Instant AddBusinessDays(Instant start, int days)
    {
        if (days < 0) throw new ArgumentOutOfRangeException(nameof(days), "Business days to add must not be negative.");
        var (date, time) = AlignToWorkingTime(start);
        for (var added = 0; added < days;)
        {
            date = date.PlusDays(1);
            if (IsWorkingDate(date)) added++;
        }
        var h = _hours[(int)date.DayOfWeek]!.Value;
        var clamped = time < h.Start ? h.Start : time > h.End ? h.End : time;
        return Zone.AtLeniently(date + clamped).ToInstant();
    }

    public DateTime AddBusinessDays(DateTime utcStart, int days) => AddBusinessDays(ToInstant(utcStart), days).ToDateTimeUtc();

    /// <summary>Business time between two instants; negative when <paramref name="b"/> is before <paramref name="a"/>.</summary>
    public Duration BusinessTimeBetween(Instant a, Instant b)
    {
        if (b < a) return -BusinessTimeBetween(b, a);
        var total = Duration.Zero;
        var last = b.InZone(Zone).Date;
        for (var date = a.InZone(Zone).Date; date <= last; date = date.PlusDays(1))
        {
            if (WindowOn(date) is not (var ws, var we)) continue;
            var from = ws > a ? ws : a;
            var to = we < b ? we : b;
            if (to > from) total += to - from;
        }
        return total;
    }

    public TimeSpan BusinessTimeBetween(DateTime utcA, DateTime utcB) => BusinessTimeBetween(ToInstant(utcA), ToInstant(utcB)).ToTimeSpan();

    /// <summary>The working date and local time the counting starts from.</summary>
    private (LocalDate Date, LocalTime Time) AlignToWorkingTime(Instant start)
    {
        var local = start.InZone(Zone).LocalDateTime;
        var date = local.Date;
        if (WindowOn(date) is (var ws, var we) && start <= we)
            return (date, start < ws ? _hours[(int)date.DayOfWeek]!.Value.Start : local.TimeOfDay);
        for (var i = 0; i < MaxDaysScanned; i++)
        {
            date = date.PlusDays(1);
            if (IsWorkingDate(date)) return (date, _hours[(int)date.DayOfWeek]!.Value.Start);
        }
        throw new InvalidOperationException($"No working day found within {MaxDaysScanned} days of {start}: check the holidays.");
    }

    private static Instant ToInstant(DateTime utc) => Instant.FromDateTimeUtc(utc.Kind switch
    {
        DateTimeKind.Utc => utc,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(utc, DateTimeKind.Utc),
        _ => utc.ToUniversalTime(),
    });
}
