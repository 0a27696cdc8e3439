using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Calendars;

public sealed record CalendarDto(int UserId, string TimeZone, string WorkingDays, TimeOnly WorkdayStart, TimeOnly WorkdayEnd, int Version);

/// <summary>Omitted fields keep their value; <c>version</c>, when sent, must be the one you read.</summary>
public sealed record CalendarInput(string? TimeZone, string? WorkingDays, TimeOnly? WorkdayStart, TimeOnly? WorkdayEnd, int? Version);

public sealed record HolidayDto(int Id, DateOnly Date, string Name);

public sealed record HolidayInput(DateOnly? Date, string? Name);

/// <summary>The deadline a user's calendar gives: business hours or days counted from an instant.</summary>
public sealed record DeadlineDto(int UserId, DateTime From, DateTime Deadline, string TimeZone);

public static class CalendarsApi
{
    public static RouteGroupBuilder MapCalendarsApi(this RouteGroupBuilder api)
    {
        var u = api.MapGroup("/users/{id:int}/calendar").WithTags("Calendars");
        u.MapGet("/", Get).WithName("GetUserCalendar").WithSummary("A user's time zone, working days and working hours.")
            .RequireAuthorization(Permissions.Read);
        u.MapPut("/", Set).WithName("SetUserCalendar").WithSummary("Set a user's time zone, working days and working hours.")
            .RequireAuthorization(Permissions.Admin);
        u.MapGet("/deadline", Deadline).WithName("GetUserDeadline")
            .WithSummary("When N business hours (or days) from an instant end for this user, holidays included.")
            .RequireAuthorization(Permissions.Read);
        var h = api.MapGroup("/holidays").WithTags("Calendars");
        h.MapGet("/", Holidays).WithName("ListHolidays").WithSummary("Company holidays, optionally of one year.")
            .RequireAuthorization(Permissions.Read);
        h.MapPost("/", AddHoliday).WithName("AddHoliday").WithSummary("Add a company holiday (a local date in every user's zone).")
            .RequireAuthorization(Permissions.Admin);
        h.MapDelete("/{holidayId:int}", DeleteHoliday).WithName("DeleteHoliday").WithSummary("Remove a company holiday.")
            .RequireAuthorization(Permissions.Admin);
        return api;
    }

    private static CalendarDto Dto(Users.User x) => new(x.Id, x.TimeZone, x.WorkingDays, x.WorkdayStart, x.WorkdayEnd, x.Version);

    private static async Task<Results<Ok<CalendarDto>, ProblemHttpResult>> Get(TandemDb db, int id, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is { } user ? TypedResults.Ok(Dto(user)) : Problems.NotFound("User", id);

    private static async Task<Results<Ok<CalendarDto>, ValidationProblem, ProblemHttpResult>> Set(
        TandemDb db, int id, CalendarInput input, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (user is null) return Problems.NotFound("User", id);
        var days = WorkCalendars.ParseDays(input.WorkingDays ?? user.WorkingDays);
        if (days is null)
            return Errors.Single("workingDays", $"'{input.WorkingDays}' is not a comma-separated list of Mon, Tue, Wed, Thu, Fri, Sat, Sun.");
        try
        {
            // The pure calendar is the one place that knows what a valid calendar is.
            BusinessCalendar.Uniform(input.TimeZone ?? user.TimeZone, days,
                LocalTime.FromTimeOnly(input.WorkdayStart ?? user.WorkdayStart), LocalTime.FromTimeOnly(input.WorkdayEnd ?? user.WorkdayEnd));
        }
        catch (ArgumentException e)
        {
            // The calendar speaks of working hours; this API's fields are workdayStart/workdayEnd.
            return Errors.Single(e.ParamName == "workingHours" ? "workdayEnd" : e.ParamName ?? "calendar", Message(e));
        }
        if (input.Version is { } v) db.Entry(user).Property(x => x.Version).OriginalValue = v;
        user.TimeZone = input.TimeZone?.Trim() ?? user.TimeZone;
        user.WorkingDays = WorkCalendars.FormatDays(days);
        user.WorkdayStart = input.WorkdayStart ?? user.WorkdayStart;
        user.WorkdayEnd = input.WorkdayEnd ?? user.WorkdayEnd;
        if (!await db.TrySaveAsync(ct)) return Problems.StaleVersion($"User {id}", input.Version ?? 0);
        return TypedResults.Ok(Dto(user));
    }

    private static async Task<Results<Ok<DeadlineDto>, ValidationProblem, ProblemHttpResult>> Deadline(
        TandemDb db, int id, DateTime? from, double? businessHours, int? businessDays, CancellationToken ct)
    {
        if ((businessHours is null) == (businessDays is null))
            return Errors.Single("businessHours", "Send exactly one of 'businessHours' or 'businessDays'.");
        if (businessHours is { } bh && (double.IsNaN(bh) || bh < 0 || bh > 10_000))
            return Errors.Single("businessHours", "'businessHours' must be between 0 and 10000.");
        if (businessDays is < 0 or > 1_000) return Errors.Single("businessDays", "'businessDays' must be between 0 and 1000.");
        var calendar = await WorkCalendars.ForUserAsync(db, id, ct);
        if (calendar is null) return Problems.NotFound("User", id);
        var start = from is { } f ? (f.Kind == DateTimeKind.Local ? f.ToUniversalTime() : DateTime.SpecifyKind(f, DateTimeKind.Utc)) : db.UtcNow;
        // A deadline of up to 1,000 business days from 2199 still ends before the calendar's last day.
        if (ModelLimits.DateProblem(start, "from") is { } range) return Errors.Single("from", range);
        var deadline = businessHours is { } hours ? calendar.AddBusinessHours(start, hours) : calendar.AddBusinessDays(start, businessDays!.Value);
        return TypedResults.Ok(new DeadlineDto(id, start, deadline, calendar.Zone.Id));
    }

    private static async Task<Ok<List<HolidayDto>>> Holidays(TandemDb db, int? year, CancellationToken ct)
    {
        var q = db.Holidays.AsNoTracking();
        if (year is { } y) q = q.Where(x => x.Date >= new DateOnly(y, 1, 1) && x.Date <= new DateOnly(y, 12, 31));
        return TypedResults.Ok(await q.OrderBy(x => x.Date).Select(x => new HolidayDto(x.Id, x.Date, x.Name)).ToListAsync(ct));
    }

    private static async Task<Results<Created<HolidayDto>, ValidationProblem>> AddHoliday(TandemDb db, HolidayInput input, CancellationToken ct)
    {
        var e = new Errors().Required("name", input.Name);
        if (input.Date is null) e.Add("date", "'date' is required (yyyy-MM-dd).");
        else if (await db.Holidays.AnyAsync(x => x.Date == input.Date, ct)) e.Add("date", $"{input.Date:yyyy-MM-dd} is already a holiday.");
        if (e.Any) return e.ToProblem();
        var holiday = new Holiday { Date = input.Date!.Value, Name = input.Name!.Trim() };
        db.Holidays.Add(holiday);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/holidays/{holiday.Id}", new HolidayDto(holiday.Id, holiday.Date, holiday.Name));
    }

    // Through the tracker, not ExecuteDelete: the deletion is audited and lands in the change feed like every other write.
    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteHoliday(TandemDb db, int holidayId, CancellationToken ct)
    {
        if (await db.Holidays.FirstOrDefaultAsync(x => x.Id == holidayId, ct) is not { } holiday) return Problems.NotFound("Holiday", holidayId);
        db.Holidays.Remove(holiday);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>ArgumentException appends "(Parameter 'x')"; the field is already named in the problem.</summary>
    private static string Message(ArgumentException e) => e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "");
}
