using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Features.Insight;

/// <summary>What a report counts: people (funnel) or opportunities (deals, attribution).</summary>
public enum Subject { Person, Opportunity }

/// <summary>A slice: one segment code per person or opportunity, and the segment names.</summary>
public sealed class Dimension(string field, int[] codes, string[] labels)
{
    public const string None = "(none)";

    public string Field { get; } = field;
    public int[] Codes { get; } = codes;
    public string[] Labels { get; } = labels;

    public int CodeOf(string label) => Array.IndexOf(Labels, label);
}

/// <summary>
/// The slice fields every report accepts in <c>by</c> and <c>filter</c>, and how each is read off the facts.
/// An opportunity takes the channel, campaign, source, persona and definition version of its primary person,
/// its own owner, and its own account (else the person's).
/// </summary>
public static class Dimensions
{
    public const string PropertyPrefix = "property:";

    public static readonly string[] Fields =
        ["channel", "channelGroup", "campaign", "source", "industry", "employees", "region", "persona", "owner", "team", "definition", "currency"];

    /// <summary>Null when the field is known, else a sentence naming it and what is allowed.</summary>
    public static string? Check(string field, Subject subject)
    {
        if (field.StartsWith(PropertyPrefix, StringComparison.Ordinal) && field.Length > PropertyPrefix.Length) return null;
        if (field == "currency" && subject == Subject.Person) return "'currency' slices opportunities only.";
        return Fields.Contains(field) ? null
            : $"Unknown slice field '{field}'. Use one of {string.Join(", ", Fields)}, or {PropertyPrefix}NAME for a custom property.";
    }

    public static async Task<Dimension> GetAsync(InsightFacts f, TandemDb db, string field, Subject subject, CancellationToken ct)
    {
        var key = subject + "/" + field;
        lock (f.DimensionCache)
            if (f.DimensionCache.TryGetValue(key, out var cached)) return cached;
        var built = field.StartsWith(PropertyPrefix, StringComparison.Ordinal)
            ? await PropertyAsync(f, db, field, field[PropertyPrefix.Length..], subject, ct)
            : Build(f, field, subject);
        lock (f.DimensionCache) f.DimensionCache[key] = built;
        return built;
    }

    internal static Dimension Build(InsightFacts f, string field, Subject subject)
    {
        var n = subject == Subject.Person ? f.PeopleCount : f.OppCount;
        var labels = new Labels();
        var codes = new int[n];
        for (var i = 0; i < n; i++)
        {
            var person = subject == Subject.Person ? i : f.OppPerson[i];
            var account = subject == Subject.Person ? f.PersonAccount[i] : f.OppAccount[i];
            var owner = subject == Subject.Person ? f.PersonOwner[i] : f.OppOwner[i];
            codes[i] = labels.Code(field switch
            {
                "channel" => person < 0 ? Dimension.None : ChannelName(f, f.PersonChannel[person]),
                "channelGroup" => person < 0 ? Dimension.None : f.Channels[f.PersonChannel[person]]?.Group ?? Dimension.None,
                "campaign" => person < 0 || f.PersonCampaign[person] < 0 ? Dimension.None : f.Campaigns[f.PersonCampaign[person]].Name,
                "source" => person < 0 || f.PersonSource[person] == InsightFacts.NoChannel ? Dimension.None : ((TouchType)f.PersonSource[person]).ToString(),
                "industry" => account < 0 ? Dimension.None : f.Accounts[account].Industry ?? Dimension.None,
                "employees" => account < 0 ? Dimension.None : EmployeeBand(f.Accounts[account].Employees),
                "region" => account < 0 ? Dimension.None : f.Accounts[account].Region ?? Dimension.None,
                "persona" => person < 0 ? Personas.Unknown : f.Personas[f.PersonPersona[person]],
                "owner" => f.Users.TryGetValue(owner, out var u) ? u.Name : Dimension.None,
                "team" => f.Users.TryGetValue(owner, out var t) ? t.Team ?? Dimension.None : Dimension.None,
                "definition" => person < 0 ? "none" : f.Versions[f.PersonVersion[person]],
                "currency" => subject == Subject.Opportunity ? f.Currencies[f.OppCurrency[i]] : Dimension.None,
                _ => throw new ArgumentException($"Unknown slice field '{field}'.", nameof(field)),
            });
        }
        return new Dimension(field, codes, Enumerable.Range(0, labels.Count).Select(c => labels[c]).ToArray());
    }

    /// <summary>A custom property: the subject's own value, else its account's, else (for a deal) its primary person's.</summary>
    private static async Task<Dimension> PropertyAsync(InsightFacts f, TandemDb db, string field, string name, Subject subject, CancellationToken ct)
    {
        var rows = await db.CustomProperties.AsNoTracking()
            .Where(p => p.Name == name && (p.SubjectKind == SubjectKind.Person || p.SubjectKind == SubjectKind.Opportunity || p.SubjectKind == SubjectKind.Account))
            .Select(p => new { p.SubjectKind, p.SubjectId, p.Value }).ToListAsync(ct);
        var byKind = rows.GroupBy(r => r.SubjectKind).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.SubjectId, r => r.Value));
        var person = byKind.GetValueOrDefault(SubjectKind.Person) ?? [];
        var opp = byKind.GetValueOrDefault(SubjectKind.Opportunity) ?? [];
        var account = byKind.GetValueOrDefault(SubjectKind.Account) ?? [];
        var labels = new Labels();
        var n = subject == Subject.Person ? f.PeopleCount : f.OppCount;
        var codes = new int[n];
        for (var i = 0; i < n; i++)
        {
            var pi = subject == Subject.Person ? i : f.OppPerson[i];
            var ai = subject == Subject.Person ? f.PersonAccount[i] : f.OppAccount[i];
            string? value = null;
            if (subject == Subject.Opportunity) opp.TryGetValue(f.OppId[i], out value);
            else person.TryGetValue(f.PersonId[i], out value);
            if (value is null && ai >= 0) account.TryGetValue(f.Accounts[ai].Id, out value);
            if (value is null && subject == Subject.Opportunity && pi >= 0) person.TryGetValue(f.PersonId[pi], out value);
            codes[i] = labels.Code(value ?? Dimension.None);
        }
        return new Dimension(field, codes, Enumerable.Range(0, labels.Count).Select(c => labels[c]).ToArray());
    }

    /// <summary>The custom property names a report can split by (property:NAME), read once per build of the facts.</summary>
    public static async Task<string[]> PropertyNamesAsync(InsightFacts f, TandemDb db, CancellationToken ct)
    {
        if (f.PropertyNames is { } known) return known;
        var names = await db.CustomProperties.AsNoTracking()
            .Where(p => p.SubjectKind == SubjectKind.Person || p.SubjectKind == SubjectKind.Opportunity || p.SubjectKind == SubjectKind.Account)
            .Select(p => p.Name).Distinct().ToListAsync(ct);
        return f.PropertyNames = [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The channel's key: what filters and exports name; pages show its label (<see cref="Channels.ChannelSet.Label(Channel)"/>).</summary>
    public static string ChannelName(InsightFacts f, byte c) => f.Channels[c]?.Channel.Key ?? Dimension.None;

    /// <summary>Employee-size bands as most B2B segmentations draw them.</summary>
    public static string EmployeeBand(int? employees) => employees switch
    {
        null or < 1 => Dimension.None,
        <= 10 => "1-10",
        <= 50 => "11-50",
        <= 200 => "51-200",
        <= 1000 => "201-1000",
        <= 5000 => "1001-5000",
        _ => "5001+",
    };
}
