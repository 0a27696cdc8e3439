using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Tandem.Api;

/// <summary>Field-level validation errors, collected and returned together as one ProblemDetails.</summary>
public sealed class Errors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>
    /// Checks every text of <paramref name="input"/> against the stored field of the same name on <typeparamref name="TEntity"/>:
    /// its declared maximum length, and no NUL character. Before any SQL, so SQLite never truncates and PostgreSQL never
    /// answers a constraint error that names no field.
    /// </summary>
    public Errors Texts<TEntity>(object input)
    {
        foreach (var p in input.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)))
        {
            var field = char.ToLowerInvariant(p.Name[0]) + p.Name[1..];
            if (!Has(field) && Data.ModelLimits.TextProblem<TEntity>((string?)p.GetValue(input), p.Name, field) is { } problem) Add(field, problem);
        }
        return this;
    }

    public Errors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Errors Required(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"'{field}' is required.");
        return this;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(),
        title: "The request has invalid fields.", detail: string.Join(" ", _errors.SelectMany(e => e.Value)));

    public static ValidationProblem Single(string field, string message) => new Errors().Add(field, message).ToProblem();
}

public static class Problems
{
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    public static ProblemHttpResult StaleVersion(string what, int sent) => TypedResults.Problem(
        title: "The record was changed by someone else.",
        detail: $"{what} is no longer at version {sent}. Reload it and apply your change again.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["field"] = "version" });

    public static ProblemHttpResult NotFound(string what, object id) =>
        TypedResults.Problem(title: "Not found", detail: $"{what} {id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>Saves, turning a lost optimistic-concurrency race into a 409 instead of a silent overwrite.</summary>
    public static async Task<bool> TrySaveAsync(this DbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
