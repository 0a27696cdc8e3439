using Microsoft.EntityFrameworkCore;

namespace Tandem.Api;

/// <summary>One page of a list. <see cref="Total"/> counts every match, not just this page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

public static class Paging
{
    public const int MaxPageSize = 500;

    /// <summary>Pages are 1-based; sizes are clamped to 1..500 so a client cannot ask for the whole table. A page past the end
    /// is empty (its offset is computed in 64 bits: page 2,147,483,647 must not wrap to a negative offset).</summary>
    public static async Task<Page<TOut>> ToPageAsync<T, TOut>(this IQueryable<T> query, int? page, int? pageSize,
        Func<T, TOut> map, CancellationToken ct)
    {
        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var total = await query.CountAsync(ct);
        var offset = (long)(p - 1) * size;
        var items = offset >= total ? [] : await query.Skip((int)offset).Take(size).ToListAsync(ct);
        return new Page<TOut>(items.Select(map).ToList(), p, size, total);
    }
}
