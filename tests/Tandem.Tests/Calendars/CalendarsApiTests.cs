using System.Net;
using System.Net.Http.Json;
using Tandem.Features.Access;
using Tandem.Features.Calendars;

namespace Tandem.Tests.Calendars;

public class CalendarsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task A_users_calendar_is_set_and_drives_their_deadlines_with_company_holidays(string provider)
    {
        // Now: Wed 4 Mar 2026 15:00 UTC.
        await using var app = await TestApp.StartAsync(provider, new DateTimeOffset(2026, 3, 4, 15, 0, 0, TimeSpan.Zero));
        var id = await app.AddUserAsync("rep@tandem.test", Data.Role.SalesRep);
        var before = await app.GetAsync<CalendarDto>($"/api/users/{id}/calendar");
        Assert.Equal(("UTC", "Mon,Tue,Wed,Thu,Fri"), (before.TimeZone, before.WorkingDays));

        var res = await app.Client.PutAsJsonAsync($"/api/users/{id}/calendar",
            new { timeZone = "America/New_York", workingDays = "Tue,Wed,Thu,Fri,Mon", workdayStart = "08:00", workdayEnd = "16:00", version = before.Version }, Ct);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var after = (await res.Content.ReadFromJsonAsync<CalendarDto>(TestApp.Json, Ct))!;
        Assert.Equal(("America/New_York", "Mon,Tue,Wed,Thu,Fri", new TimeOnly(8, 0), new TimeOnly(16, 0)),
            (after.TimeZone, after.WorkingDays, after.WorkdayStart, after.WorkdayEnd));

        // 10:00 EST Wednesday + 8 business hours: 6h Wednesday; Thursday 5 Mar is a holiday; 2h Friday → Fri 10:00 EST = 15:00 UTC.
        await app.PostAsync<HolidayDto>("/api/holidays", new { date = "2026-03-05", name = "Founders' day" });
        var deadline = await app.GetAsync<DeadlineDto>($"/api/users/{id}/calendar/deadline?businessHours=8");
        Assert.Equal(new DateTime(2026, 3, 6, 15, 0, 0, DateTimeKind.Utc), deadline.Deadline);
        Assert.Equal("America/New_York", deadline.TimeZone);
        var days = await app.GetAsync<DeadlineDto>($"/api/users/{id}/calendar/deadline?businessDays=2&from=2026-03-04T15:00:00Z");
        // Wed 10:00 EST → (Thu off) Fri → Mon 9 Mar 10:00, which is EDT since Sunday: 14:00 UTC.
        Assert.Equal(new DateTime(2026, 3, 9, 14, 0, 0, DateTimeKind.Utc), days.Deadline);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Bad_calendars_are_refused_naming_the_field(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var id = await app.AddUserAsync("rep@tandem.test", Data.Role.SalesRep);

        async Task<Problem> Put(object body) =>
            await Problem.ReadAsync(await app.Client.PutAsJsonAsync($"/api/users/{id}/calendar", body, Ct), HttpStatusCode.BadRequest);

        Assert.Contains("Europe/Atlantis", (await Put(new { timeZone = "Europe/Atlantis" })).Errors["timeZone"].Single());
        Assert.Contains("working", (await Put(new { workingDays = "" })).Errors["workingDays"].Single());
        Assert.Contains("Funday", (await Put(new { workingDays = "Mon,Funday" })).Detail);
        Assert.Contains("working hours", (await Put(new { workdayStart = "17:00", workdayEnd = "09:00" })).Errors["workdayEnd"].Single());
        Assert.Equal("UTC", (await app.GetAsync<CalendarDto>($"/api/users/{id}/calendar")).TimeZone); // nothing changed
        var both = await app.Client.GetAsync($"/api/users/{id}/calendar/deadline?businessHours=1&businessDays=1", Ct);
        Assert.NotEmpty((await Problem.ReadAsync(both, HttpStatusCode.BadRequest)).Errors["businessHours"]);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/users/9999/calendar", Ct)).StatusCode);
    }

    [Theory, MemberData(nameof(TestDb.Providers), MemberType = typeof(TestDb))]
    public async Task Holidays_are_listed_by_year_unique_by_date_and_only_admins_change_them(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var xmas = await app.PostAsync<HolidayDto>("/api/holidays", new { date = "2026-12-25", name = "Christmas Day" });
        await app.PostAsync<HolidayDto>("/api/holidays", new { date = "2027-01-01", name = "New Year's Day" });

        var dup = await app.Client.PostAsJsonAsync("/api/holidays", new { date = "2026-12-25", name = "Again" }, Ct);
        Assert.Contains("already", (await Problem.ReadAsync(dup, HttpStatusCode.BadRequest)).Errors["date"].Single());
        var missing = await app.Client.PostAsJsonAsync("/api/holidays", new { name = "When?" }, Ct);
        Assert.NotEmpty((await Problem.ReadAsync(missing, HttpStatusCode.BadRequest)).Errors["date"]);
        Assert.Equal(["Christmas Day"], (await app.GetAsync<List<HolidayDto>>("/api/holidays?year=2026")).Select(h => h.Name));

        var reader = await app.ClientWithKeyAsync(KeyScope.Read);
        Assert.Equal(2, (await reader.GetFromJsonAsync<List<HolidayDto>>("/api/holidays", TestApp.Json, Ct))!.Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/holidays", new { date = "2026-05-01", name = "May Day" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync("/api/users/1/calendar", new { timeZone = "UTC" }, Ct)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/api/holidays/{xmas.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.DeleteAsync($"/api/holidays/{xmas.Id}", Ct)).StatusCode);
    }
}
