using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Tandem.Api;
using Tandem.Data;
using Tandem.Features.Access;

namespace Tandem.Features.Insight;

/// <summary>The query string of every report (see <see cref="InsightQuery"/>); format=csv answers the table as CSV.</summary>
public class InsightArgs
{
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public string? By { get; set; }
    public string[]? Filter { get; set; }
    public LifecycleStage? Stage { get; set; }
    public int? Within { get; set; }
    public string? Interval { get; set; }
    public string? Basis { get; set; }
    public string? Model { get; set; }
    public double? HalfLife { get; set; }
    public int? Window { get; set; }
    public string? Days { get; set; }
    public string? Format { get; set; }

    public InsightQuery ToQuery() => new()
    {
        From = Utc(From), To = Utc(To), By = Blank(By), Filter = Filter?.Where(x => !string.IsNullOrWhiteSpace(x)).ToArray() is { Length: > 0 } f ? f : null,
        Stage = Stage, Within = Within, Interval = Blank(Interval), Basis = Blank(Basis), Model = Blank(Model), HalfLife = HalfLife, Window = Window,
        Days = Blank(Days),
    };

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A date without a zone is read as UTC, like every time in Tandem.</summary>
    private static DateTime? Utc(DateTime? d) => d switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } u => DateTime.SpecifyKind(u, DateTimeKind.Utc),
        var x => x.Value.ToUniversalTime(),
    };
}

/// <summary>A report's query plus the cell to open: the row's keys (in key-column order) and the cell name from the drill link.</summary>
public sealed class DrillArgs : InsightArgs
{
    public string[]? Key { get; set; }
    public string? Cell { get; set; }
    public int? Page { get; set; }
    public int? PageSize { get; set; }
}

/// <summary>One record behind a number. <see cref="Href"/> is its API address.</summary>
public sealed record DrillItem(string Kind, int Id, string Name, string? Detail, string Href);

/// <summary>The title → persona mapping in force, and (when a title is given) the persona it maps to.</summary>
public sealed record PersonaMapping(string Source, IReadOnlyList<PersonaRule> Rules, string Unknown, string Other, string? Title, string? Persona);

public sealed record DrillPage(string Report, string Cell, IReadOnlyList<string> Keys, int Total, int Page, int PageSize, IReadOnlyList<DrillItem> Items);

public static class InsightApi
{
    public static WebApplicationBuilder AddInsight(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new InsightStore(Personas.FromConfiguration(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<Storage>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<InsightStore>>()));
        builder.Services.AddHostedService<InsightFollower>();
        builder.Services.AddHostedService<Data.Feed.FeedPruner>();
        return builder;
    }

    public static RouteGroupBuilder MapInsightApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/insight").WithTags("Insight");
        g.MapGet("/personas", (string? title, InsightStore store) =>
            {
                var p = store.Personas;
                return TypedResults.Ok(new PersonaMapping(p.FromSettings ? "setting Insight:Personas" : "built-in defaults (set Insight:Personas to change them)",
                    p.Rules, Personas.Unknown, Personas.Other, title, title is null ? null : p.Of(title)));
            })
            .WithName("InsightPersonas").WithSummary("The title → persona mapping the persona slice uses (first matching rule wins); title=… shows where one title lands.")
            .RequireAuthorization(Permissions.Read);
        foreach (var report in Reports.All)
        {
            var title = string.Concat(report.Name.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            g.MapGet("/" + report.Name, ([AsParameters] InsightArgs args, TandemDb db, InsightStore store, HttpContext http, CancellationToken ct) =>
                    RunAsync(report, args, db, store, http.RequestServices, ct))
                .WithName("Insight" + title).WithSummary(report.Summary + " Every number carries a drill-down link; format=csv for CSV.")
                .RequireAuthorization(Permissions.Read);
            g.MapGet("/" + report.Name + "/drill", ([AsParameters] DrillArgs args, TandemDb db, InsightStore store, CancellationToken ct) =>
                    DrillAsync(report, args, db, store, ct))
                .WithName("Insight" + title + "Drill").WithSummary($"The people or opportunities behind one number of the {report.Name} report.")
                .RequireAuthorization(Permissions.Read);
        }
        return api;
    }

    private static async Task<Results<Ok<InsightTable>, FileContentHttpResult, ValidationProblem>> RunAsync(ReportDef report, InsightArgs args,
        TandemDb db, InsightStore store, IServiceProvider services, CancellationToken ct)
    {
        var q = args.ToQuery();
        var errors = Reports.Validate(report, q);
        if (args.Format is { } fmt && fmt is not ("json" or "csv")) errors.Add("format", $"Unknown format '{fmt}'. Use json or csv.");
        if (errors.Any) return errors.ToProblem();
        var table = await Reports.RunAsync(report, await store.GetAsync(db, ct), db, q, ct, services: services);
        return args.Format == "csv" ? Csv(table.ToCsv(), report.Name) : TypedResults.Ok(table with { AsOf = store.AsOf });
    }

    private static async Task<Results<Ok<DrillPage>, FileContentHttpResult, ValidationProblem>> DrillAsync(ReportDef report, DrillArgs args,
        TandemDb db, InsightStore store, CancellationToken ct)
    {
        var q = args.ToQuery();
        var errors = Reports.Validate(report, q);
        errors.Required("cell", args.Cell);
        if (errors.Any) return errors.ToProblem();
        var facts = await store.GetAsync(db, ct);
        var keys = args.Key ?? [];
        var members = await Reports.MembersAsync(report, facts, db, q, keys, args.Cell!, ct);
        var csv = args.Format == "csv";
        var page = Math.Max(1, args.Page ?? 1);
        var size = csv ? Math.Max(1, members.Count) : Math.Clamp(args.PageSize ?? 50, 1, Paging.MaxPageSize);
        var items = await DescribeAsync(db, facts, members.Skip((page - 1) * size).Take(size).ToList(), ct);
        if (!csv) return TypedResults.Ok(new DrillPage(report.Name, args.Cell!, keys, members.Count, page, size, items));
        var sb = new StringBuilder("kind,id,name,detail\r\n");
        foreach (var i in items) sb.Append($"{i.Kind},{i.Id},{CsvText(i.Name)},{CsvText(i.Detail ?? "")}\r\n");
        return Csv(sb.ToString(), report.Name + "-drill");
    }

    private static FileContentHttpResult Csv(string text, string name) =>
        TypedResults.File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", name + ".csv");

    private static string CsvText(string s) => CsvCell.Text(s);

    /// <summary>Names and a one-line detail for one page of members, read from the database (the facts hold no names).</summary>
    public static async Task<IReadOnlyList<DrillItem>> DescribeAsync(TandemDb db, InsightFacts f, IReadOnlyList<Member> page, CancellationToken ct)
    {
        var personIds = page.Where(m => m.Subject == Subject.Person).Select(m => f.PersonId[m.Index]).ToList();
        var oppIds = page.Where(m => m.Subject == Subject.Opportunity).Select(m => f.OppId[m.Index]).ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Email, p.ExternalId, p.FirstName, p.LastName, p.Stage, p.Title }).ToDictionaryAsync(p => p.Id, ct);
        var opps = await db.Opportunities.AsNoTracking().Where(o => oppIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Name, o.AmountMinor, o.Currency, o.Outcome, o.SalesStage }).ToDictionaryAsync(o => o.Id, ct);
        var items = new List<DrillItem>(page.Count);
        foreach (var m in page)
        {
            if (m.Subject == Subject.Person && people.TryGetValue(f.PersonId[m.Index], out var p))
            {
                var detail = string.Join(" · ", new[] { p.Stage.ToString(), p.Email ?? (p.ExternalId is { } x ? "id " + x : null), p.Title }.OfType<string>());
                items.Add(new DrillItem("person", p.Id, People.Names.Person(p.FirstName, p.LastName, p.Email, p.ExternalId, p.Id), detail, $"/api/people/{p.Id}"));
            }
            else if (m.Subject == Subject.Opportunity && opps.TryGetValue(f.OppId[m.Index], out var o))
                items.Add(new DrillItem("opportunity", o.Id, o.Name,
                    $"{Components.Text.Words(o.Outcome)} · {o.SalesStage} · {Components.Text.Money(o.AmountMinor, o.Currency)}", $"/api/opportunities/{o.Id}"));
        }
        return items;
    }
}
