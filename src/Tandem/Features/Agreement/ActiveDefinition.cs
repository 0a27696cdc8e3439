using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>The version in force, parsed once per use, with its scoring compiled.</summary>
public sealed record ActiveDefinition(LeadDefinition Row, DefinitionContent Content, Scoring Scoring)
{
    public static async Task<ActiveDefinition?> LoadAsync(TandemDb db, CancellationToken ct)
    {
        var row = await db.LeadDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Status == DefinitionStatus.Active, ct);
        return row is null ? null : Of(row);
    }

    public static ActiveDefinition Of(LeadDefinition row)
    {
        var content = row.Parsed();
        return new ActiveDefinition(row, content, new Scoring(content.Engagement));
    }
}
