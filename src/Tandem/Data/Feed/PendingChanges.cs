namespace Tandem.Data.Feed;

/// <summary>
/// What the current transaction of one context has changed so far. Filled by every save (from EF's change tracker) and
/// by the raw-SQL writers; written as one <see cref="ChangeFeedEntry"/> when the transaction commits.
/// </summary>
public sealed class PendingChanges
{
    /// <summary>More ids than this in one transaction are recorded as a full change rather than listed.</summary>
    public const int MaxListed = 50_000;

    private readonly HashSet<int> _people = [];
    private readonly HashSet<int> _opportunities = [];
    private readonly SortedSet<string> _tables = new(StringComparer.Ordinal);

    public bool Full { get; private set; }

    public bool Any => Full || _people.Count > 0 || _opportunities.Count > 0 || _tables.Count > 0;

    public void Person(int id) => _people.Add(id);

    public void People(IEnumerable<int> ids) => _people.UnionWith(ids);

    public void Opportunity(int id) => _opportunities.Add(id);

    public void Table(string name) => _tables.Add(name);

    /// <summary>A bulk load: readers rebuild rather than follow.</summary>
    public void Everything() => Full = true;

    public void Clear()
    {
        _people.Clear();
        _opportunities.Clear();
        _tables.Clear();
        Full = false;
    }

    public ChangeFeedEntry ToEntry(long seq, DateTime at)
    {
        var full = Full || _people.Count > MaxListed || _opportunities.Count > MaxListed;
        return new ChangeFeedEntry
        {
            Seq = seq, At = at, Full = full,
            People = full ? null : Join(_people), Opportunities = full ? null : Join(_opportunities),
            Tables = _tables.Count == 0 ? null : string.Join(',', _tables),
        };
    }

    private static string? Join(HashSet<int> ids) => ids.Count == 0 ? null : string.Join(',', ids.Order());
}
