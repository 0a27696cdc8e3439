using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Tandem.Data;
using Tandem.Features.Nurture;

namespace Tandem.Cli;

/// <summary>`tandem nurture tracks list|show`, `tandem nurture preview TRACK STEP PERSON`, `tandem nurture results TRACK [--json]` (docs/guide/nurture.md).</summary>
public static class NurtureCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var nurture = new Command("nurture", "Nurture tracks: list and show them, preview a message as a person, and the variant results.");
        var tracks = new Command("tracks", "The nurture tracks.");
        var list = new Command("list", "Every track with its status and enrolments.");
        list.SetAction(async (r, ct) =>
        {
            await using var db = await OpenAsync(r, ct);
            var counts = await db.NurtureEnrolments.AsNoTracking().GroupBy(e => e.TrackId)
                .Select(g => new { g.Key, All = g.Count(), Active = g.Count(e => e.Status == EnrolmentStatus.Active) }).ToDictionaryAsync(x => x.Key, ct);
            var t = new Table().AddColumns("Id", "Track", "Status", "Enrols", "Steps", "Enrolled", "In the track now");
            foreach (var x in await db.NurtureTracks.AsNoTracking().OrderBy(x => x.Id).ToListAsync(ct))
            {
                var c = TrackContent.Parse(x.Content);
                t.AddRow(N(x.Id), Markup.Escape(x.Name), x.Status.ToString(), Markup.Escape(NurtureText.Enrols(c.Enrol)), N(c.Steps.Length),
                    N(counts.GetValueOrDefault(x.Id)?.All ?? 0), N(counts.GetValueOrDefault(x.Id)?.Active ?? 0));
            }
            AnsiConsole.Write(t);
            return 0;
        });
        var trackArg = new Argument<string>("track") { Description = "The track's id or name." };
        var show = new Command("show", "One track: who it enrols and its steps.") { trackArg };
        show.SetAction(async (r, ct) =>
        {
            await using var db = await OpenAsync(r, ct);
            if (await FindAsync(db, r.GetValue(trackArg)!, ct) is not { } x) return NotFound(r.GetValue(trackArg)!);
            var c = TrackContent.Parse(x.Content);
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(x.Name)}[/] ({x.Status}): {Markup.Escape(NurtureText.Enrols(c.Enrol))}");
            var t = new Table().AddColumns("#", "Step", "What happens");
            for (var i = 0; i < c.Steps.Length; i++) t.AddRow(N(i + 1), Markup.Escape(c.Steps[i].Key), Markup.Escape(NurtureText.Step(c.Steps[i])));
            AnsiConsole.Write(t);
            return 0;
        });
        tracks.Subcommands.Add(list);
        tracks.Subcommands.Add(show);

        var track2 = new Argument<string>("track") { Description = "The track's id or name." };
        var step = new Argument<string>("step") { Description = "The message step's key." };
        var person = new Argument<string>("person") { Description = "The person's id or email." };
        var variant = new Option<string?>("--variant") { Description = "The variant (default: the first)." };
        var preview = new Command("preview", "A message step as one person would get it, both parts.") { track2, step, person, variant };
        preview.SetAction(async (r, ct) =>
        {
            await using var db = await OpenAsync(r, ct);
            if (await FindAsync(db, r.GetValue(track2)!, ct) is not { } x) return NotFound(r.GetValue(track2)!);
            var who = r.GetValue(person)!;
            int? id = int.TryParse(who, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
                : await db.People.Where(p => p.Email == who.Trim().ToLowerInvariant()).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
            var options = Options();
            var links = await new NurtureKeys(options).LinksAsync(db, ct);
            var result = await Preview.RenderAsync(db, links, TrackContent.Parse(x.Content), r.GetValue(step), r.GetValue(variant), id ?? -1, options.RequireConsent, ct);
            if (result.Error is { } e)
            {
                Console.Error.WriteLine(id is null ? $"No person has the email '{who}'." : $"{e.Field}: {e.Message}");
                return 2;
            }
            var d = result.Dto!;
            Console.WriteLine($"To: {d.Person} <{d.To}>");
            Console.WriteLine($"Subject: {d.Subject}");
            if (d.NotMailable is { } why) Console.WriteLine($"(This person is not mailed: {why}.)");
            Console.WriteLine();
            Console.WriteLine(d.Text);
            return 0;
        });

        var track3 = new Argument<string>("track") { Description = "The track's id or name." };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var results = new Command("results", "Per step and variant: sent, delivered, clicked, unsubscribed, bounced, requalified, and the test's verdict.") { track3, json };
        results.SetAction(async (r, ct) =>
        {
            await using var db = await OpenAsync(r, ct);
            if (await FindAsync(db, r.GetValue(track3)!, ct) is not { } x) return NotFound(r.GetValue(track3)!);
            var res = (await NurtureResults.ForTrackAsync(db, x.Id, ct))!;
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(res, Json));
                return 0;
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(res.Name)}[/]: {res.Enrolled:N0} enrolled, {res.Active:N0} in the track now" +
                string.Concat(res.Exits.Select(e => $", {e.Value:N0} {Markup.Escape(e.Key)}")));
            foreach (var s in res.Steps)
            {
                var t = new Table().Title($"Step {Markup.Escape(s.StepKey)} (reward: {NurtureText.Reward(s.Reward)})")
                    .AddColumns("Variant", "Assigned", "Sent", "Delivered", "Opened*", "Clicked", "Replied", "Unsubscribed", "Bounced", "Requalified", "Reward rate (95 % interval)");
                foreach (var v in s.Variants)
                {
                    var arm = s.Test?.Arms.FirstOrDefault(a => a.Key == v.Variant);
                    t.AddRow(Markup.Escape(NurtureText.Variant(v.Variant)), N(v.Assigned), N(v.Sent), N(v.Delivered), N(v.Opened), N(v.Clicked), N(v.Replied), N(v.Unsubscribed),
                        N(v.Bounced), N(v.Requalified), arm is null ? "–" : $"{arm.Rate:P1} ({arm.Low:P1}–{arm.High:P1})");
                }
                AnsiConsole.Write(t);
                if (s.Test is { } test) AnsiConsole.MarkupLine(Markup.Escape(test.Why));
            }
            AnsiConsole.MarkupLine("* Opens are inflated by mail privacy proxies: shown, never optimised on.");
            return 0;
        });
        nurture.Subcommands.Add(tracks);
        nurture.Subcommands.Add(preview);
        nurture.Subcommands.Add(results);
        return nurture;
    }

    private static async Task<TandemDb> OpenAsync(ParseResult r, CancellationToken ct)
    {
        var db = CliApp.StorageOf(r).Open();
        await Storage.MigrateAsync(db, ct);
        return db;
    }

    private static async Task<NurtureTrack?> FindAsync(TandemDb db, string track, CancellationToken ct) =>
        int.TryParse(track, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct)
            : await db.NurtureTracks.AsNoTracking().FirstOrDefaultAsync(t => t.Name == track, ct);

    private static int NotFound(string track)
    {
        Console.Error.WriteLine($"No track has the id or name '{track}'. `tandem nurture tracks list` shows them.");
        return 2;
    }

    /// <summary>The settings the server runs with: appsettings.json beside the executable, then TANDEM_ variables.</summary>
    private static NurtureOptions Options() => new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables("TANDEM_").Build().GetSection("Nurture").Get<NurtureOptions>() ?? new NurtureOptions();

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
