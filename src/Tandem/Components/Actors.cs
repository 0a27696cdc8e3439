using Microsoft.EntityFrameworkCore;
using Tandem.Data;

namespace Tandem.Components;

/// <summary>
/// Who did something, as a reader would say it. Records store actors as "user:12", "api-key:3", "system"…; pages show
/// "Ana Ruiz", "API key “CRM sync”", "Tandem". Load the names of one page's actors once, then label each.
/// </summary>
public sealed class Actors(IReadOnlyDictionary<int, string> users, IReadOnlyDictionary<int, string> keys)
{
    public static readonly Actors None = new(new Dictionary<int, string>(), new Dictionary<int, string>());

    public static async Task<Actors> LoadAsync(TandemDb db, IEnumerable<string?> actors, CancellationToken ct, IEnumerable<int>? moreUsers = null)
    {
        var list = actors.OfType<string>().Distinct().ToList();
        var userIds = IdsOf(list, "user:").Concat(moreUsers ?? []).Distinct().ToList();
        var keyIds = IdsOf(list, "api-key:");
        var users = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var keys = keyIds.Count == 0 ? [] : await db.ApiKeys.AsNoTracking().Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        return new Actors(users, keys);
    }

    /// <summary>The reader's name for an actor; never the raw "user:N".</summary>
    public string Label(string? actor) => actor switch
    {
        null or "" => "someone",
        "system" => "Tandem",
        "demo" => "the demo generator",
        "anonymous" => "someone not signed in",
        _ when actor.StartsWith("system:", StringComparison.Ordinal) => $"Tandem ({actor[7..]})",
        _ when Id(actor, "user:") is { } u => users.TryGetValue(u, out var n) ? n : $"a former user (no. {u})",
        _ when Id(actor, "api-key:") is { } k => keys.TryGetValue(k, out var n) ? $"API key “{n}”" : $"an API key (no. {k})",
        _ => actor,
    };

    /// <summary>A user named by id in a record's detail (an assignee, an owner).</summary>
    public string User(int id) => users.TryGetValue(id, out var n) ? n : $"a former user (no. {id})";

    private static int? Id(string actor, string prefix) =>
        actor.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(actor.AsSpan(prefix.Length), out var id) ? id : null;

    private static List<int> IdsOf(IEnumerable<string> actors, string prefix) =>
        actors.Select(a => Id(a, prefix)).OfType<int>().Distinct().ToList();
}
