using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tandem.Data;
using HandoffRow = Tandem.Features.Handoffs.Handoff;
using Tandem.Features.People;

namespace Tandem.Tests.Architecture;

/// <summary>
/// The boundaries that keep one trusted record of the funnel (decision 0040), checked on the compiled code: only
/// Lifecycle writes stage history, a person's stage and a handoff's state; no feature reaches into another's internal
/// types; and the flow ingest → decide → transition → route has no cycle through Agreement.
/// </summary>
public partial class ArchitectureTests
{
    private static readonly Assembly Tandem = typeof(TandemDb).Assembly;
    private const string Lifecycle = "Tandem.Features.Lifecycle";

    private static readonly HashSet<MethodBase> Guarded =
    [
        typeof(Person).GetProperty(nameof(Person.Stage))!.SetMethod!, typeof(Person).GetProperty(nameof(Person.StageChangedAt))!.SetMethod!,
        typeof(Person).GetProperty(nameof(Person.ReengageAt))!.SetMethod!, typeof(HandoffRow).GetProperty(nameof(HandoffRow.State))!.SetMethod!,
        typeof(HandoffRow).GetProperty(nameof(HandoffRow.DecidedAt))!.SetMethod!, typeof(HandoffRow).GetProperty(nameof(HandoffRow.DecidedBy))!.SetMethod!,
        .. typeof(StageChange).GetConstructors(),
    ];

    [GeneratedRegex("""(?is)(\binsert\s+into|\bupdate|\bdelete\s+from)\s+"?(stage_changes|handoffs)\b|\bupdate\s+"?people"?\s+set\b[^;]*"Stage"\s*=""")]
    private static partial Regex StageSql();

    private static IEnumerable<Type> Types => Tandem.GetTypes().Where(t => !IlReader.Home(t).StartsWith("Tandem.Data.Migrations", StringComparison.Ordinal));

    private static bool IsModelConfiguration(Type t) => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>));

    [Fact]
    public void Only_Lifecycle_writes_stages_and_handoff_state()
    {
        var offenders = new List<string>();
        foreach (var type in Types.Where(t => IlReader.Home(t) != Lifecycle && !IsModelConfiguration(t)))
            foreach (var method in IlReader.Methods(type))
                foreach (var use in IlReader.Uses(method))
                {
                    if (use.Method is { } m && Guarded.Contains(m))
                        offenders.Add($"{type.FullName}.{method.Name} calls {m.DeclaringType!.Name}.{m.Name}");
                    if (use.Text is { } sql && StageSql().IsMatch(sql))
                        offenders.Add($"{type.FullName}.{method.Name} writes SQL: {sql.Trim()[..Math.Min(80, sql.Trim().Length)]}");
                }
        Assert.True(offenders.Count == 0, "Stage moves and handoff decisions go through Tandem.Features.Lifecycle:\n" + string.Join('\n', offenders.Distinct()));
    }

    [Fact]
    public void The_check_sees_a_write_when_there_is_one()
    {
        // The scan must not pass for want of looking: Lifecycle itself writes all of these.
        var found = Types.Where(t => IlReader.Home(t) == Lifecycle).SelectMany(IlReader.Methods).SelectMany(IlReader.Uses).ToList();
        Assert.Contains(found, u => u.Method is { } m && m == typeof(Person).GetProperty(nameof(Person.Stage))!.SetMethod);
        Assert.Contains(found, u => u.Method is { } m && m == typeof(HandoffRow).GetProperty(nameof(HandoffRow.State))!.SetMethod);
        Assert.Contains(found, u => u.Text is { } s && StageSql().IsMatch(s));
        Assert.Matches(StageSql(), """UPDATE people SET "Stage" = 'SAL' WHERE "Id" = 1""");
        Assert.DoesNotMatch(StageSql(), """SELECT "Stage" FROM people""");
    }

    [Fact]
    public void No_feature_uses_another_features_internal_types()
    {
        var offenders = new List<string>();
        foreach (var type in Types.Where(t => Feature(t) is not null))
        {
            var home = Feature(type);
            var used = IlReader.Methods(type).SelectMany(IlReader.Uses)
                .Select(u => u.Method?.DeclaringType ?? u.Type).OfType<Type>()
                .Concat(type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).Select(f => f.FieldType));
            foreach (var t in used.SelectMany(Unwrap).Distinct())
                if (Feature(t) is { } other && other != home && !IsVisibleOutside(t))
                    offenders.Add($"{type.FullName} ({home}) uses {t.FullName} ({other}), which is internal to {other}");
        }
        Assert.True(offenders.Count == 0, "Features talk through their public types only:\n" + string.Join('\n', offenders.Distinct()));
    }

    [Fact]
    public void Agreement_decides_and_calls_nothing_that_routes_or_moves_stages()
    {
        var graph = CallGraph();
        string Edges(string from) => string.Join(", ", graph.GetValueOrDefault(from, []).Order());
        foreach (var (from, to) in new[] { ("Agreement", "Handoffs"), ("Handoffs", "Agreement"), ("Agreement", "People"), ("People", "Agreement"),
                     ("Agreement", "Lifecycle"), ("Agreement", "Touches") })
            Assert.False(graph.GetValueOrDefault(from, []).Contains(to), $"{from} calls into {to}. {from} calls: {Edges(from)}");
    }

    /// <summary>Feature → features whose methods it calls (property accessors of records and entities are data, not calls).</summary>
    private static Dictionary<string, HashSet<string>> CallGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var type in Types.Where(t => Feature(t) is not null))
            foreach (var use in IlReader.Methods(type).SelectMany(IlReader.Uses))
                if (use.Method is { IsSpecialName: false } m && m is not ConstructorInfo && Feature(m.DeclaringType!) is { } to && to != Feature(type))
                    (graph.TryGetValue(Feature(type)!, out var set) ? set : graph[Feature(type)!] = []).Add(to);
        return graph;
    }

    private static string? Feature(Type t)
    {
        var ns = IlReader.Home(t);
        const string prefix = "Tandem.Features.";
        return ns.StartsWith(prefix, StringComparison.Ordinal) ? ns[prefix.Length..].Split('.')[0] : null;
    }

    private static bool IsVisibleOutside(Type t)
    {
        for (var x = t; x is not null; x = x.DeclaringType)
            if (!(x.IsPublic || x.IsNestedPublic)) return false;
        return true;
    }

    private static IEnumerable<Type> Unwrap(Type t)
    {
        if (t.HasElementType) return Unwrap(t.GetElementType()!);
        return t.IsGenericType ? t.GetGenericArguments().SelectMany(Unwrap).Prepend(t.GetGenericTypeDefinition()) : [t];
    }
}
