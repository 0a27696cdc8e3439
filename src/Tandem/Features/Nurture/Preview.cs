using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.People;

namespace Tandem.Features.Nurture;

/// <summary>A message step rendered for one person exactly as a send would be (links point at a preview send that does not exist).</summary>
public static class Preview
{
    public sealed record Result(PreviewDto? Dto, (string Field, string Message)? Error);

    public static async Task<Result> RenderAsync(TandemDb db, NurtureLinks links, TrackContent content, string? stepKey, string? variantKey, int? personId,
        bool requireConsent, CancellationToken ct)
    {
        var step = stepKey is null ? content.Steps.FirstOrDefault(s => s.Kind == StepKind.Message) : content.Find(stepKey);
        if (step is not { Kind: StepKind.Message })
            return new(null, ("step", stepKey is null ? "The track has no message step." : $"'{stepKey}' is not a message step of this track."));
        var variant = variantKey is null ? step.Variants![0] : step.Variants!.FirstOrDefault(v => v.Key == variantKey);
        if (variant is null) return new(null, ("variant", $"Step '{step.Key}' has no variant '{variantKey}': it has {string.Join(", ", step.Variants!.Select(v => v.Key))}."));
        if (personId is null) return new(null, ("personId", "'personId' is required: the person to preview the message as."));
        var who = (await Mailable.LoadAsync(db, [personId.Value], requireConsent, ct)).GetValueOrDefault(personId.Value);
        if (who is null) return new(null, ("personId", $"Person {personId} does not exist."));
        var r = MessageTemplate.Render(variant, who.Values, url => links.ClickUrl(0, url), links.UnsubscribeUrl(who.Id));
        var name = await db.People.AsNoTracking().Where(p => p.Id == who.Id).Select(p => new { p.FirstName, p.LastName, p.Email, p.ExternalId }).FirstAsync(ct);
        var display = Names.Person(name.FirstName, name.LastName, name.Email, name.ExternalId, who.Id);
        return new(new PreviewDto(display, who.Email, r.Subject, r.Html, r.Text, r.Links, who.Blocked), null);
    }
}
