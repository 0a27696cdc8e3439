using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Data;
using Tandem.Features.Users;

namespace Tandem.Features.Calendars;

/// <summary>Builds a user's <see cref="BusinessCalendar"/> from their settings (on User) and the company holidays.</summary>
public static class WorkCalendars
{
    private static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>"Mon,Tue,Wed" → ISO days; null when a name is not one of Mon…Sun.</summary>
    public static IsoDayOfWeek[]? ParseDays(string? days)
    {
        if (string.IsNullOrWhiteSpace(days)) return [];
        var parts = days.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var result = new IsoDayOfWeek[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var index = Array.FindIndex(DayNames, d => d.Equals(parts[i], StringComparison.OrdinalIgnoreCase));
            if (index < 0) return null;
            result[i] = (IsoDayOfWeek)(index + 1);
        }
        return result;
    }

    public static string FormatDays(IEnumerable<IsoDayOfWeek> days) =>
        string.Join(',', days.Distinct().Order().Select(d => DayNames[(int)d - 1]));

    /// <summary>The calendar of one user; throws <see cref="ArgumentException"/> naming the field if the settings are invalid.</summary>
    public static BusinessCalendar For(User user, IEnumerable<DateOnly> holidays) =>
        BusinessCalendar.Uniform(user.TimeZone,
            ParseDays(user.WorkingDays) ?? throw new ArgumentException($"'{user.WorkingDays}' is not a list of Mon…Sun.", "workingDays"),
            LocalTime.FromTimeOnly(user.WorkdayStart), LocalTime.FromTimeOnly(user.WorkdayEnd),
            holidays.Select(LocalDate.FromDateOnly));

    /// <summary>The calendar of a user, or null when the user does not exist.</summary>
    public static async Task<BusinessCalendar?> ForUserAsync(TandemDb db, int userId, CancellationToken ct = default)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? null : For(user, await HolidaysAsync(db, ct));
    }

    /// <summary>All company holidays; a small table (tens of rows a year), read whole.</summary>
    public static Task<List<DateOnly>> HolidaysAsync(TandemDb db, CancellationToken ct = default) =>
        db.Holidays.AsNoTracking().Select(h => h.Date).ToListAsync(ct);
}
