using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using Tandem.Features.Agreement;
using Tandem.Features.Handoffs;

namespace Tandem.Features.Lifecycle;

/// <summary>
/// The SLA terms a handoff runs under. Lifecycle answers because it may read the definition (Agreement) and Handoffs may
/// not (the architecture test keeps Handoffs and Agreement apart); a reassignment restarts the clock under these terms.
/// </summary>
public static class HandoffTerms
{
    /// <summary>The terms of the definition whose MQL the lead is; the active one's when that version is gone; else the defaults.</summary>
    public static async Task<SlaSection> ForAsync(TandemDb db, int? definitionId, CancellationToken ct)
    {
        var row = definitionId is { } id ? await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) : null;
        row ??= await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Status == DefinitionStatus.Active, ct);
        return row?.Parsed().SlaTerms() ?? SlaSection.Default;
    }
}
