using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tandem.Features.Cadence;
using Tandem.Tests.Handoff;

namespace Tandem.Tests.Cadence;

/// <summary>
/// The handoff team (admin, a sales manager, three reps on team EMEA) with the cadence's loops off, so each test drives
/// the passes. Week 2026-W10 starts at <see cref="HandoffWorld.Monday9"/>; its record is due the next Monday at 07:00 UTC.
/// </summary>
internal static class CadenceWorld
{
    public const string Week = "2026-W10";
    public static readonly DateTimeOffset NextMonday8 = HandoffWorld.Monday9.AddDays(7).AddHours(-1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null) => new Dictionary<string, string?>
    {
        ["Cadence:RunInBackground"] = "false", ["Email:RunInBackground"] = "false", ["Plan:RunInBackground"] = "false",
        ["Nurture:RunInBackground"] = "false",
    }.Concat(more ?? []).ToDictionary(kv => kv.Key, kv => kv.Value);

    public static Task<HandoffWorld> StartAsync(string provider, Dictionary<string, string?>? more = null) =>
        HandoffWorld.StartAsync(provider, Settings(more));

    public static Task<CadencePass> PassAsync(this TestApp app) => app.App.Services.GetRequiredService<CadenceRunner>().RunOnceAsync(Ct);

    public static async Task<List<SyncRecord>> RecordsAsync(this TestApp app)
    {
        await using var db = app.Db.Open(app.Clock);
        return await db.SyncRecords.AsNoTracking().OrderBy(r => r.Week).ThenBy(r => r.Revision).ToListAsync(Ct);
    }

    /// <summary>Runs a poppler tool; the test fails (not skips) when it is missing: CI installs poppler-utils.</summary>
    public static string Poppler(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install poppler-utils).");
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{tool} failed ({p.ExitCode}): {error}");
        return output;
    }

    /// <summary>The text of a PDF and its page count, read by poppler, and a rendering of its first page checked to be a PNG.</summary>
    public static (string Text, int Pages) ReadPdf(byte[] pdf)
    {
        var dir = Directory.CreateTempSubdirectory("tandem-pdf").FullName;
        var file = Path.Combine(dir, "record.pdf");
        File.WriteAllBytes(file, pdf);
        Poppler("pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", file, Path.Combine(dir, "page"));
        var png = Directory.GetFiles(dir, "page*.png").Single();
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(png)[..4]);
        var info = Poppler("pdfinfo", file);
        var pages = int.Parse(info.Split('\n').First(l => l.StartsWith("Pages:")).Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var text = Poppler("pdftotext", "-layout", file, "-");
        Directory.Delete(dir, true);
        return (text, pages);
    }
}
