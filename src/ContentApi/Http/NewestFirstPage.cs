using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Http;

/// <summary>
/// A page of a list ordered newest first by a UUIDv7 id (whose order is creation order), by cursor or page number,
/// with its total and Link header: how the management lists (resources, webhook deliveries) page.
/// </summary>
public static class NewestFirstPage
{
    public static async Task<ListResponse<TOut>> ReadAsync<T, TOut>(HttpContext http, IQueryable<T> query,
        Expression<Func<T, Guid>> id, ListRequest request, Func<T, TOut> map, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var total = await Paging.CountAsync(query, ct);
        var page = query.OrderByDescending(id).AsQueryable();
        if (Paging.DecodeCursor(request.Cursor) is { Id: var after })
        {
            page = page.Where(Before(id, after));
        }
        else if (request.Page is { } number)
        {
            page = page.Skip((number - 1) * limit);
        }
        var idOf = id.Compile();
        var (items, next) = Paging.Trim(await page.Take(limit + 1).ToListAsync(ct), limit, row => Paging.EncodeCursor("", idOf(row)));
        Paging.SetLinks(http, next, request.Page, next is not null);
        return new ListResponse<TOut>(items.Select(map).ToList(), new PageInfo(limit, request.Page is null ? next : null, total));
    }

    // id(row).CompareTo(after) < 0, which Npgsql translates to "id < @after" (C# has no < for Guid).
    private static Expression<Func<T, bool>> Before<T>(Expression<Func<T, Guid>> id, Guid after) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.LessThan(
                Expression.Call(id.Body, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, Expression.Constant(after)),
                Expression.Constant(0)),
            id.Parameters);
}
