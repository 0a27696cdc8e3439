using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Tandem.Data;

/// <summary>
/// The limits the model declares (EF's <c>HasMaxLength</c>), checked before any SQL so a bad value is a clear error naming
/// its field instead of a truncation on SQLite or a constraint error on PostgreSQL. Also the other rules every stored
/// text and date obeys: no NUL character (PostgreSQL cannot store one) and dates within <see cref="MinDate"/>–<see cref="MaxDate"/>.
/// </summary>
public static class ModelLimits
{
    /// <summary>The earliest and latest dates Tandem stores (docs/guide/import.md): older or later ones are typos.</summary>
    public static readonly DateTime MinDate = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly DateTime MaxDate = new(2200, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly Lazy<IModel> Model = new(() =>
    {
        using var db = new SqliteTandemDb(new DbContextOptionsBuilder<SqliteTandemDb>().UseSqlite("Data Source=:memory:").Options, TimeProvider.System);
        return db.Model;
    });
    private static readonly ConcurrentDictionary<(Type, string), int> Lengths = new();

    /// <summary>The declared maximum length of <typeparamref name="T"/>.<paramref name="property"/>; int.MaxValue when it
    /// declares none (or is not a stored property).</summary>
    public static int MaxLength<T>(string property) => MaxLength(typeof(T), property);

    public static int MaxLength(Type entity, string property) => Lengths.GetOrAdd((entity, property), k =>
        Model.Value.FindEntityType(k.Item1)?.FindProperty(k.Item2)?.GetMaxLength() ?? int.MaxValue);

    /// <summary>Why <paramref name="value"/> cannot be stored as <typeparamref name="T"/>.<paramref name="property"/>, or null.</summary>
    public static string? TextProblem<T>(string? value, string property, string field) => TextProblem(typeof(T), value, property, field);

    public static string? TextProblem(Type entity, string? value, string property, string field)
    {
        if (value is null) return null;
        if (value.Contains('\0')) return $"'{field}' contains a NUL character (\\u0000), which cannot be stored.";
        var max = MaxLength(entity, property);
        return value.Trim().Length > max ? $"'{field}' is at most {max:N0} characters; this one has {value.Trim().Length:N0}." : null;
    }

    /// <summary>Why <paramref name="value"/> is not one of <typeparamref name="T"/>'s named values (JSON accepts any number), or null.</summary>
    public static string? EnumProblem<T>(T? value, string field) where T : struct, Enum =>
        value is { } v && !Enum.IsDefined(v)
            ? $"'{field}' {Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)} is not one of {string.Join(", ", Enum.GetNames<T>())}."
            : null;

    /// <summary>Why <paramref name="value"/> is out of the stored range, or null.</summary>
    public static string? DateProblem(DateTime? value, string field) =>
        value is { } d && (d.ToUniversalTime() < MinDate || d.ToUniversalTime() >= MaxDate)
            ? $"'{field}' {d:yyyy-MM-dd} is outside the dates Tandem stores ({MinDate:yyyy-MM-dd} to {MaxDate.AddDays(-1):yyyy-MM-dd})."
            : null;
}
