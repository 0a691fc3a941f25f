using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Http;

/// <summary>
/// A page of a list sorted by a text column and then id (authors, sections and topics by name, works by title),
/// with keyset cursors, numbered pages, the total and the Link header.
/// </summary>
public static class NameOrderedList
{
    public static async Task SendAsync<TEntity, TResponse>(HttpContext http, ListRequest request, IQueryable<TEntity> source,
        string sortColumn, Expression<Func<TEntity, TResponse>> projection, Func<TResponse, (string Sort, Guid Id)> keyOf,
        CancellationToken ct)
        where TEntity : class
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var total = await Paging.CountAsync(source, ct);
        if (Paging.DecodeCursor(request.Cursor) is { } after)
        {
            source = source.Where(e => EF.Functions.GreaterThan(
                ValueTuple.Create(EF.Property<string>(e, sortColumn), EF.Property<Guid>(e, "Id")),
                ValueTuple.Create(after.SortValue, after.Id)));
        }
        var ordered = source.OrderBy(e => EF.Property<string>(e, sortColumn)).ThenBy(e => EF.Property<Guid>(e, "Id"));
        var rows = await (request.Page is { } page ? ordered.Skip((page - 1) * limit) : ordered)
            .Take(limit + 1)
            .Select(projection)
            .ToListAsync(ct);

        var (items, next) = Paging.Trim(rows, limit, r => keyOf(r) is var (sort, id) ? Paging.EncodeCursor(sort, id) : null!);
        Paging.SetLinks(http, next, request.Page, next is not null);
        await http.SendJsonAsync(new ListResponse<TResponse>(items, new PageInfo(limit, next, total)), null, ct);
    }
}
