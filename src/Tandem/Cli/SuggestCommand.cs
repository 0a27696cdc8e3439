using System.CommandLine;
using Tandem.Features.Insight;
using Tandem.Features.Learning;

namespace Tandem.Cli;

/// <summary>`tandem learn suggest`: a lead definition proposed from the outcomes, stored as a draft for the what-if and approval.</summary>
internal static class SuggestCommand
{
    public static Command Create()
    {
        var cmd = new Command("suggest", "Propose a lead definition from the data: a draft with learned points, fit rules and a threshold set by sales capacity.");
        cmd.SetAction(async (r, ct) =>
        {
            await using var db = await CliApp.OpenAsync(r, ct);
            var facts = await InsightLoader.LoadAsync(db, Personas.ReadSettings(), ct);
            var (draft, s, refusal) = await Models.SuggestAsync(db, facts, ct);
            if (draft is null) { Console.Error.WriteLine(refusal); return 1; }
            Console.WriteLine($"Draft v{draft.Number} created. {s!.Note}");
            Console.WriteLine($"  {s.Draft.Version}: {s.Draft.Qualified:N0} qualified, {s.Draft.PerWeek:0.#} a week, precision {s.Draft.Precision:P1}");
            if (s.Active is { } a) Console.WriteLine($"  {a.Version}: {a.Qualified:N0} qualified, {a.PerWeek:0.#} a week, precision {a.Precision:P1}");
            Console.WriteLine($"Open it in the what-if: /agreement/{draft.Number}#whatif, or `tandem definition whatif {draft.Number}`.");
            return 0;
        });
        return cmd;
    }
}
