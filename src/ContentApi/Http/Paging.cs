using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Http;

/// <summary>A page of a list: the items and where the next page starts.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Items, PageInfo Page);

/// <summary>
/// Paging facts: the limit used, the opaque cursor of the next page (null on the last page) and how many items
/// the whole list has. Counting stops at 10,000 (<see cref="Paging.MaxCounted"/>): past it, <c>total</c> is 10000 and
/// <c>totalIsExact</c> is false, meaning "at least this many".
/// </summary>
/// <param name="Limit">The page size used.</param>
/// <param name="Next">The cursor of the next page, to pass back as <c>cursor</c>; null on the last page.</param>
/// <param name="Total">How many items the list has, or 10000 when it has more (see <c>totalIsExact</c>).</param>
/// <param name="TotalIsExact">False when counting stopped at 10,000: the list has at least <c>total</c> items.</param>
public sealed record PageInfo(int Limit, string? Next, int Total, bool TotalIsExact)
{
    public PageInfo(int limit, string? next, TotalCount total) : this(limit, next, total.Value, total.IsExact)
    {
    }
}

/// <summary>How many items a list has, counted up to <see cref="Paging.MaxCounted"/>.</summary>
public readonly record struct TotalCount(int Value, bool IsExact)
{
    public static TotalCount Exact(int value) => new(value, true);

    /// <summary>The sum of two capped counts, capped again.</summary>
    public static TotalCount operator +(TotalCount a, TotalCount b) =>
        a.Value + b.Value > Paging.MaxCounted ? new(Paging.MaxCounted, false) : new(a.Value + b.Value, a.IsExact && b.IsExact);
}

/// <summary>Limits, cursors and Link headers, shared by every list endpoint.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    /// <summary>
    /// The most rows a numbered page may reach (page × limit): an offset makes the database read and skip every row
    /// before the page, so deep pages go through the cursor, which costs the same on any page.
    /// </summary>
    public const int MaxDepth = 10_000;
    /// <summary>
    /// Where counting stops. An exact count reads every matching row on every request, which for a large topic or a
    /// common search word is most of the table; numbered pages cannot go deeper than this anyway.
    /// </summary>
    public const int MaxCounted = MaxDepth;
    public const string BadCursorMessage =
        "'cursor' is not one this list made; pass page.next from the previous page unchanged, with the same sort.";

    /// <summary>
    /// A keyset position: the sort value and id of the last item on a page. Encoded as opaque base64url text so
    /// that clients do not build cursors themselves.
    /// </summary>
    public static string EncodeCursor(string sortValue, Guid id) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"1|{sortValue}|{id:N}"));

    /// <summary>Reads a cursor made by <see cref="EncodeCursor"/>; null when it is not one.</summary>
    public static (string SortValue, Guid Id)? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 400)
        {
            return null;
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
            return parts is ["1", var sortValue, var id] && Guid.TryParseExact(id, "N", out var guid) ? (sortValue, guid) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string EncodeTime(DateTimeOffset time) =>
        time.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);

    public static DateTimeOffset? DecodeTime(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
        && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>Counts the rows of <paramref name="query"/>, stopping after <see cref="MaxCounted"/>.</summary>
    public static async Task<TotalCount> CountAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var counted = await query.Take(MaxCounted + 1).CountAsync(ct);
        return counted > MaxCounted ? new TotalCount(MaxCounted, false) : TotalCount.Exact(counted);
    }

    /// <summary>
    /// Finishes a page fetched with one extra row: drops the extra, and makes the next cursor from the last item kept.
    /// </summary>
    public static (List<T> Items, string? Next) Trim<T>(List<T> rows, int limit, Func<T, string> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return (rows, null);
        }
        rows.RemoveAt(limit);
        return (rows, cursorOf(rows[^1]));
    }

    /// <summary>Sets the RFC 8288 Link header: the same request with the cursor (or page) of the next and previous pages.</summary>
    public static void SetLinks(HttpContext context, string? nextCursor, int? page, bool hasNext)
    {
        var links = new List<string>();
        if (nextCursor is not null && page is null)
        {
            links.Add($"<{WithQuery(context.Request, "cursor", nextCursor, "page")}>; rel=\"next\"");
        }
        if (page is { } number)
        {
            if (hasNext)
            {
                links.Add($"<{WithQuery(context.Request, "page", (number + 1).ToString(CultureInfo.InvariantCulture), "cursor")}>; rel=\"next\"");
            }
            if (number > 1)
            {
                links.Add($"<{WithQuery(context.Request, "page", (number - 1).ToString(CultureInfo.InvariantCulture), "cursor")}>; rel=\"prev\"");
            }
        }
        if (links.Count > 0)
        {
            context.Response.Headers.Link = string.Join(", ", links);
        }
    }

    private static string WithQuery(HttpRequest request, string name, string value, string drop)
    {
        var query = request.Query
            .Where(q => q.Key != name && q.Key != drop)
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new KeyValuePair<string, string?>(name, value));
        return QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
    }
}
