using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Tandem.Data;
using Tandem.Features.Cadence;
using Tandem.Features.Insight;
using Tandem.Features.Notifications;
using Tandem.Features.Plan;

namespace Tandem.Cli;

/// <summary>`tandem kpi|sync|notes`: the scorecard, the weekly records and the field notes (docs/guide/cadence.md).</summary>
public static class CadenceCommand
{
    private static IConfiguration Settings() => new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables("TANDEM_").Build();

    private static SyncRecords Records() => new(new InsightStore(Personas.ReadSettings()), Options.Create(PlanOptions.FromEnvironment()),
        Options.Create(Settings().GetSection(CadenceOptions.Section).Get<CadenceOptions>() ?? new CadenceOptions()), CompanyOptions.ReadSettings());

    public static IEnumerable<Command> Create() => [Kpi(), Sync(), Notes()];

    private static void Print(string[] headers, IReadOnlyList<string[]> rows)
    {
        var t = new TextTable(null, headers, [.. headers.Select(_ => false)]);
        foreach (var row in rows) t.Add(row);
        t.Write(Console.Out, TextTable.OutputWidth());
    }

    private static Command Kpi()
    {
        var cmd = new Command("kpi", "The shared scorecard: its versions, a new draft, approvals.");
        var list = new Command("list", "Every scorecard version and its KPIs.");
        list.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var all = await db.Scorecards.AsNoTracking().OrderByDescending(s => s.Number).ToListAsync(ct);
            if (all.Count == 0) Console.WriteLine("No scorecard was ever approved: the records use the seeds' scorecard below.");
            foreach (var s in all) Console.WriteLine($"Scorecard v{s.Number} ({s.Status.ToString().ToLowerInvariant()}), content {s.ContentHash[..12]}{(s.Note is { } n ? $": {n}" : "")}");
            var kpis = all.Count == 0 ? Scorecards.Seeds() : Scorecards.Parse(all[0].Content);
            Print(["key", "name", "metric", "owner", "kind", "timing", "target", "green at", "amber at"],
                [.. kpis.Select(k => new[] { k.Key, k.Name, (k.Report is { } rep ? $"{rep}/{k.Metric}" : k.Metric) + (k.Filter is { } f ? $" ({f})" : "") + (k.Filters is { Length: > 0 } fs ? $" ({string.Join(", ", fs)})" : ""), k.Owner.ToString(), k.Kind.ToString(), k.Timing.ToString(),
                    k.TargetFromPlan ? "plan" : $"{k.Target}", $"{k.GreenAt:P0}", $"{k.AmberAt:P0}" })]);
            return 0;
        });
        var file = new Argument<FileInfo>("file") { Description = "A JSON array of KPI definitions (as `tandem kpi list --json` would give)." };
        var note = new Option<string?>("--note") { Description = "Why the scorecard changes." };
        var draft = new Command("draft", "A new draft of the KPI set from a JSON file; it needs a marketing and a sales approval.") { file, note };
        draft.SetAction(async (r, ct) =>
        {
            var f = r.GetValue(file)!;
            List<KpiDefinition>? kpis;
            try { kpis = JsonSerializer.Deserialize<List<KpiDefinition>>(await File.ReadAllTextAsync(f.FullName, ct), JsonSerializerOptions.Web); }
            catch (Exception e) when (e is JsonException or IOException) { Console.Error.WriteLine($"{f.Name}: {e.Message}"); return 2; }
            var problems = (kpis ?? []).SelectMany((k, i) => KpiGrade.Problems(k).Select(p => $"KPI {i + 1} ({k.Key}), {p.Field}: {p.Message}")).ToList();
            if (kpis is not { Count: > 0 }) problems.Add("The file holds no KPI.");
            if (problems.Count > 0) { foreach (var p in problems) Console.Error.WriteLine(p); return 2; }
            await using var db = await CliApp.OpenAsync(r, ct);
            if (kpis!.Any(k => k.Report is not null))
            {
                var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
                foreach (var (k, i) in kpis!.Select((k, i) => (k, i)).Where(x => x.k.Report is not null))
                    if (await KpiReports.ColumnProblemAsync(k, facts, db, ct) is { } bad) problems.Add($"KPI {i + 1} ({k.Key}), {bad.Field}: {bad.Message}");
                if (problems.Count > 0) { foreach (var p in problems) Console.Error.WriteLine(p); return 2; }
            }
            var s = await Scorecards.DraftAsync(db, kpis!, r.GetValue(note), ct);
            Console.WriteLine($"Scorecard v{s.Number} drafted (content {s.ContentHash}). A marketing user and a sales manager approve it on the API or with `tandem kpi approve`.");
            return 0;
        });
        var number = new Argument<int>("version") { Description = "The draft's number." };
        var by = new Option<string>("--by") { Description = "The approver's email (a marketing user or a sales manager).", Required = true };
        var approve = new Command("approve", "Record one side's approval of a draft.") { number, by };
        approve.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var email = r.GetValue(by)!.Trim().ToLowerInvariant();
            var user = await db.Users.FirstOrDefaultAsync(u => u.Email.ToLower() == email && u.IsActive, ct);
            var s = await db.Scorecards.FirstOrDefaultAsync(x => x.Number == r.GetValue(number), ct);
            if (user is null || s is null) { Console.Error.WriteLine(user is null ? $"No active user has the email {email}." : $"Scorecard v{r.GetValue(number)} does not exist."); return 2; }
            db.Actor = $"user:{user.Id}";
            if (await Scorecards.ApproveAsync(db, s, s.ContentHash, user.Id, user.Role, ct) is { } refused) { Console.Error.WriteLine(refused.Message); return 2; }
            Console.WriteLine(s.Status == ScorecardStatus.Active ? $"Scorecard v{s.Number} is active." : $"Approved by {user.Name}; v{s.Number} waits for the other side.");
            return 0;
        });
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(draft);
        cmd.Subcommands.Add(approve);
        return cmd;
    }

    private static Command Sync()
    {
        var cmd = new Command("sync", "The weekly sync records.");
        var week = new Option<string?>("--week") { Description = "An ISO week such as 2026-W48 (default: the last week written)." };
        var json = new Option<bool>("--json") { Description = "Print the record's JSON document." };
        var pdf = new Option<FileInfo?>("--pdf") { Description = "Write the record as a PDF to this file." };
        var show = new Command("show", "A week's record as text, JSON or PDF.") { week, json, pdf };
        show.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var records = Records();
            var key = r.GetValue(week) ?? await db.SyncRecords.OrderByDescending(x => x.Week).Select(x => x.Week).FirstOrDefaultAsync(ct) ?? records.ThisWeek(db).Key;
            var (dto, error) = await CadenceApi.LoadAsync(db, records, key, null, ct);
            if (dto is null) { Console.Error.WriteLine(error); return 2; }
            if (r.GetValue(pdf) is { } file)
            {
                await File.WriteAllBytesAsync(file.FullName, SyncPdf.Render(dto.Document, dto.Sha256 ?? "not written yet"), ct);
                Console.WriteLine($"Wrote {file.FullName}.");
                return 0;
            }
            if (r.GetValue(json)) { Console.WriteLine(SyncBuilder.Serialize(dto.Document)); return 0; }
            Console.WriteLine(SyncOutline.Title(dto.Document) + (dto.Written ? $" — revision {dto.Revision}, SHA-256 {dto.Sha256}" : " — live, not written yet"));
            foreach (var s in SyncOutline.Of(dto.Document))
            {
                Console.WriteLine();
                Console.WriteLine(s.Title.ToUpperInvariant());
                foreach (var l in s.Lines) Console.WriteLine("- " + l);
            }
            return 0;
        });
        var from = new Argument<string>("from") { Description = "The earlier week (2026-W47 or W47)." };
        var to = new Argument<string>("to") { Description = "The later week." };
        var diff = new Command("diff", "What changed between two weeks' records.") { from, to };
        diff.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var records = Records();
            var (a, ea) = await CadenceApi.LoadAsync(db, records, r.GetValue(from)!, null, ct);
            var (b, eb) = await CadenceApi.LoadAsync(db, records, r.GetValue(to)!, null, ct);
            if (a is null || b is null) { Console.Error.WriteLine(ea ?? eb); return 2; }
            Print(["section", "figure", a.Week, b.Week, "change"],
                [.. SyncDiff.Of(a.Document, b.Document).Select(l => new[] { l.Section, l.Item, l.Before, l.After, l.Change })]);
            return 0;
        });
        var sendWeek = new Option<string>("--week") { Description = "The week to send (2026-W48).", Required = true };
        var send = new Command("send", "Send a week's record again to every team's list (through the email outbox).") { sendWeek };
        send.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var records = Records();
            if (IsoWeek.Parse(r.GetValue(sendWeek), DateOnly.FromDateTime(db.UtcNow)) is not { } w) { Console.Error.WriteLine($"\"{r.GetValue(sendWeek)}\" is not an ISO week such as 2026-W48."); return 2; }
            if (await SyncRecords.LatestAsync(db, w.Key, ct) is not { } row) { Console.Error.WriteLine($"{w.Key} has no record yet."); return 2; }
            var rows = await SyncEmail.QueueAsync(db, row, SyncBuilder.Parse(row.Document), records.Options, ct);
            await db.SaveChangesAsync(ct);
            var smtp = Settings().GetSection("Smtp").Get<SmtpOptions>() ?? new SmtpOptions();
            if (!smtp.IsConfigured) { Console.WriteLine($"{rows.Count} email(s) queued; the server sends them (Smtp:Host is not set here)."); return 0; }
            var services = new ServiceCollection();
            CliApp.StorageOf(r).AddTo(services);
            services.AddSingleton(TimeProvider.System);
            await using var sp = services.BuildServiceProvider();
            var outbox = new EmailOutbox(sp.GetRequiredService<IServiceScopeFactory>(), new SmtpEmailSender(smtp, NullLogger<SmtpEmailSender>.Instance),
                TimeProvider.System, NullLogger<EmailOutbox>.Instance);
            foreach (var e in rows)
                Console.WriteLine(await outbox.SendAsync(e.Id, ct) is { } why ? $"{e.To}: not sent yet ({why}); the server retries it." : $"{e.To}: sent.");
            return 0;
        });
        cmd.Subcommands.Add(show);
        cmd.Subcommands.Add(diff);
        cmd.Subcommands.Add(send);
        return cmd;
    }

    private static Command Notes()
    {
        var cmd = new Command("notes", "Field notes: the voice of the customer.");
        var kind = new Option<NoteKind>("--kind") { Description = "Question, Objection, Competitor, FeatureGap, RideAlong or Review.", DefaultValueFactory = _ => NoteKind.Question };
        var text = new Argument<string>("text") { Description = "What was said." };
        var person = new Option<string?>("--person") { Description = "The email of the person it is about." };
        var author = new Option<string>("--author") { Description = "Who heard it.", DefaultValueFactory = _ => "cli" };
        var add = new Command("add", "Add a field note.") { text, kind, person, author };
        add.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            int? personId = null;
            if (r.GetValue(person) is { } email)
            {
                personId = await db.People.Where(p => p.Email == email.Trim().ToLower()).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
                if (personId is null) { Console.Error.WriteLine($"Nobody has the email {email}."); return 2; }
            }
            var (note, errors) = await CadenceWrites.AddNoteAsync(db, new NoteInput(r.GetValue(kind), r.GetValue(text), personId, null, null, null), null, r.GetValue(author)!, ct);
            if (note is null) { foreach (var (f, m) in errors.ToDictionary()) Console.Error.WriteLine($"{f}: {m[0]}"); return 2; }
            Console.WriteLine($"Note {note.Id} added ({FieldNote.Label(note.Kind)}).");
            return 0;
        });
        var q = new Option<string?>("--search") { Description = "Only notes whose text holds this." };
        var listKind = new Option<NoteKind?>("--kind") { Description = "Only this kind." };
        var since = new Option<DateOnly?>("--from") { Description = "Only notes heard on or after this day (company time zone)." };
        var until = new Option<DateOnly?>("--to") { Description = "Only notes heard on or before this day." };
        var list = new Command("list", "Field notes, newest first.") { q, listKind, since, until };
        list.SetAction(async (r, ct) =>
        {
            var filter = new NoteFilter(r.GetValue(q), r.GetValue(listKind), r.GetValue(since), r.GetValue(until));
            if (NoteSearch.Problem(filter) is { } problem) { Console.Error.WriteLine(problem); return 2; }
            await using var db = await CliApp.OpenAsync(r, ct);
            var notes = await NoteSearch.Apply(db.FieldNotes.AsNoTracking(), filter, Records().Zone).Take(200).ToListAsync(ct);
            if (notes.Count == 0) { Console.WriteLine("No field note matches."); return 0; }
            Print(["when", "kind", "author", "text"], [.. notes.Select(n => new[] { $"{n.At:yyyy-MM-dd}", FieldNote.Label(n.Kind), n.AuthorName, n.Text })]);
            return 0;
        });
        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(list);
        return cmd;
    }
}
