using System.Data.Common;
using Tandem.Data;
using Tandem.Features.Touches;

namespace Tandem.Features.Agreement;

/// <summary>What the live engine needs about one person: fit fields, stage, and the stored score (null when none).</summary>
internal sealed record LeadInput(FitSubject Subject, LifecycleStage Stage, DateTime StageChangedAt, DateTime? ReengageAt, LeadScore? Score)
{
    public int? AccountId { get; init; }
}

/// <summary>Reads person, account and score in one query on the ingestion path (<see cref="RawSql.ForIdsAsync"/>).</summary>
internal static class LeadInputs
{
    private const string Select = """
        SELECT p."Id", p."Email", p."Title", p."SourceChannel", p."Stage", p."StageChangedAt", p."ReengageAt",
               a."Industry", a."EmployeeCount", a."AnnualRevenue", a."Country", a."Region", a."Status",
               s."DefinitionId", s."Score", s."ScoredAt", s."Caps", s."FitPoints", s."Grade", p."AccountId"
        FROM people p LEFT JOIN accounts a ON a."Id" = p."AccountId" LEFT JOIN lead_scores s ON s."PersonId" = p."Id"
        """;

    public static async Task<Dictionary<int, LeadInput>> LoadAsync(TandemDb db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var found = new Dictionary<int, LeadInput>(ids.Count);
        await RawSql.ForIdsAsync(db, Select, "p.\"Id\"", ids, r => Add(found, r), ct);
        return found;
    }

    /// <summary>Adds custom properties to the subjects when a fit rule names one (rare, so read through EF).</summary>
    public static async Task WithPropsAsync(TandemDb db, DefinitionContent d, Dictionary<int, LeadInput> inputs, CancellationToken ct)
    {
        var (person, account) = (FitLoader.NeedsProps(d, FitFields.PersonProp), FitLoader.NeedsProps(d, FitFields.AccountProp));
        if (!person && !account) return;
        var personProps = person ? await Properties.Props.LoadManyAsync(db, SubjectKind.Person, inputs.Keys, ct) : null;
        var accountIds = inputs.Values.Where(v => v.AccountId is not null).Select(v => v.AccountId!.Value).Distinct().ToList();
        var accountProps = account ? await Properties.Props.LoadManyAsync(db, SubjectKind.Account, accountIds, ct) : null;
        foreach (var (id, v) in inputs.ToList())
            inputs[id] = v with
            {
                Subject = v.Subject with
                {
                    PersonProps = personProps?.GetValueOrDefault(id),
                    AccountProps = v.AccountId is { } a ? accountProps?.GetValueOrDefault(a) : null,
                },
            };
    }

    /// <summary>Every stored touch of these people in scoring order (time, then id), except the fresh ones.</summary>
    public static async Task<Dictionary<int, List<TouchFact>>> HistoryAsync(TandemDb db, IReadOnlyCollection<int> ids, HashSet<string> skip,
        CancellationToken ct)
    {
        var history = ids.ToDictionary(id => id, _ => new List<TouchFact>());
        const string select = """SELECT "PersonId", "EventId", "OccurredAt", "Type", "Channel", "CampaignId" FROM touches""";
        await RawSql.ForIdsAsync(db, select, "\"PersonId\"", ids, r => AddTouch(history, skip, r), ct, """ORDER BY "PersonId", "OccurredAt", "Id" """);
        return history;
    }

    private static void AddTouch(Dictionary<int, List<TouchFact>> history, HashSet<string> skip, DbDataReader r)
    {
        if (skip.Contains(r.GetString(1))) return;
        history[r.GetInt32(0)].Add(new TouchFact(Utc(r.GetDateTime(2)), System.Enum.Parse<TouchType>(r.GetString(3)), new Channel(r.GetString(4)),
            r.IsDBNull(5) ? null : r.GetInt32(5)));
    }

    private static void Add(Dictionary<int, LeadInput> found, DbDataReader r)
    {
        var id = r.GetInt32(0);
        var subject = new FitSubject(r.GetString(1), Text(r, 2), r.IsDBNull(3) ? null : new Channel(r.GetString(3)), Text(r, 7), Int(r, 8), r.IsDBNull(9) ? null : r.GetInt64(9),
            Text(r, 10), Text(r, 11), Text(r, 12));
        var score = r.IsDBNull(13) ? null : new LeadScore
        {
            PersonId = id, DefinitionId = r.GetInt32(13), Score = r.GetDouble(14), ScoredAt = Utc(r.GetDateTime(15)), Caps = Text(r, 16),
            FitPoints = r.GetInt32(17), Grade = Enum<Grade>(r, 18)!.Value,
        };
        found[id] = new LeadInput(subject, Enum<LifecycleStage>(r, 4)!.Value, Utc(r.GetDateTime(5)), r.IsDBNull(6) ? null : Utc(r.GetDateTime(6)), score)
        {
            AccountId = r.IsDBNull(19) ? null : r.GetInt32(19),
        };
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    private static int? Int(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt32(i);
    private static T? Enum<T>(DbDataReader r, int i) where T : struct, System.Enum => r.IsDBNull(i) ? null : System.Enum.Parse<T>(r.GetString(i));
    private static DateTime Utc(DateTime t) => DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
