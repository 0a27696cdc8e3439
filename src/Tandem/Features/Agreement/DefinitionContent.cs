using Tandem.Features.Handoffs;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tandem.Data;

namespace Tandem.Features.Agreement;

/// <summary>Fit grade, best first, as in Pardot. "B or better" means A or B.</summary>
public enum Grade { A, B, C, D }

/// <summary>
/// Everything one version of the unified lead definition says: how fit is graded, how engagement is scored, what
/// qualifies and what never does. Versioned, approved and activated as one document, so an MQL's cause
/// ("definition:v3") points at the exact rules that qualified it (docs/decisions/0007-lead-definition.md).
/// </summary>
/// <remarks>
/// <see cref="Sla"/> is optional and left out of the JSON when null, so versions written before SLA terms existed keep
/// their content hash (and their approvals); they run under <see cref="SlaSection.Default"/>.
/// </remarks>
public sealed record DefinitionContent(FitSection Fit, EngagementSection Engagement, QualifySection Qualify, ExclusionSection Exclusions,
    SlaSection? Sla = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DefinitionContent FromJson(string json) =>
        JsonSerializer.Deserialize<DefinitionContent>(json, Json) ?? throw new JsonException("The definition is empty.");

    /// <summary>Approvals are of this exact hash: an edit after an approval makes that approval stale.</summary>
    /// <summary>The SLA terms this version sets, or the defaults when it sets none.</summary>
    public SlaSection SlaTerms() => Sla ?? SlaSection.Default;

    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];
}

/// <summary>A fit rule adds <see cref="Points"/> when <see cref="Field"/> satisfies <see cref="Op"/>.</summary>
/// <param name="Field">From <see cref="FitFields"/>: "account.industry", "person.title", "person.prop.segment"…</param>
/// <param name="Op">in, notIn, contains, gte, lte, exists, missing, isTrue, isFalse.</param>
/// <param name="Values">For in, notIn and contains (case-insensitive).</param>
/// <param name="Number">For gte and lte.</param>
public sealed record FitRule(string Field, string Op, int Points, string[]? Values = null, double? Number = null, string? Label = null);

/// <summary>A grade covers fit points from <see cref="Min"/> to <see cref="Max"/>, both inclusive; null is open-ended.</summary>
public sealed record GradeBand(Grade Grade, int? Min, int? Max);

public sealed record FitSection(FitRule[] Rules, GradeBand[] Bands);

/// <summary>Points for each touch that matches every criterion given (type, channel, campaign); null criteria match anything.</summary>
public sealed record ScoreRule(string Name, int Points, TouchType? Type = null, Channel? Channel = null, int? CampaignId = null, ScoreCap? Cap = null);

/// <summary>At most <see cref="Points"/> (in absolute value) from one rule in each period of <see cref="PeriodDays"/> days,
/// counted in fixed periods from Monday 2001-01-01 UTC, so the cap is a pure function of the touch times.</summary>
public sealed record ScoreCap(int Points, int PeriodDays);

/// <summary><see cref="HalfLifeDays"/> null means points never fade.</summary>
public sealed record EngagementSection(double? HalfLifeDays, ScoreRule[] Rules);

/// <summary>A touch of <see cref="Type"/> qualifies on its own when fit is <see cref="MinFit"/> or better.</summary>
public sealed record FastTrack(TouchType Type, Grade MinFit);

public sealed record QualifySection(Grade MinFit, int Threshold, FastTrack[] FastTrack);

public sealed record ExclusionSection(bool PersonalEmail, bool Students, bool JobSeekers, bool DisqualifiedAccounts, string[] CompetitorDomains);
