namespace ContentApi.Manage.Versions;

/// <summary>A line added or removed between two texts.</summary>
/// <param name="Change">added or removed.</param>
/// <param name="Line">Its 1-based line number: in the older text for a removed line, in the newer one for an added line.</param>
/// <param name="Text">The line, without its line break.</param>
public sealed record LineChange(string Change, int Line, string Text);

/// <summary>How two texts differ, line by line.</summary>
/// <param name="Exact">true when the changes are a shortest edit (a longest common subsequence of lines); false when the changed region was too large to compare line by line and every line of it is listed as removed, then added.</param>
/// <param name="Changes">The lines removed and added, in reading order; unchanged lines are left out.</param>
public sealed record LineDifference(bool Exact, IReadOnlyList<LineChange> Changes);

/// <summary>
/// A line diff for article bodies: the common head and tail are skipped, and the rest compared by a longest common
/// subsequence over lines. That table grows with the product of the changed lines' counts, so past
/// <see cref="MaxCells"/> the answer is the coarse one (all old lines out, all new lines in) rather than a long CPU burn.
/// </summary>
public static class LineDiff
{
    /// <summary>About 8 MB of table and a few milliseconds: 1,400 changed lines against 1,400.</summary>
    public const long MaxCells = 2_000_000;

    public static LineDifference Compare(string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }
        var (endA, endB) = (a.Length, b.Length);
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1])
        {
            endA--;
            endB--;
        }
        var (n, m) = (endA - start, endB - start);
        var changes = new List<LineChange>();
        if ((long)(n + 1) * (m + 1) > MaxCells)
        {
            changes.AddRange(Enumerable.Range(start, n).Select(i => new LineChange("removed", i + 1, a[i])));
            changes.AddRange(Enumerable.Range(start, m).Select(j => new LineChange("added", j + 1, b[j])));
            return new LineDifference(false, changes);
        }
        // common[i, j]: the longest common subsequence of the changed regions from line i of a and line j of b on.
        var width = m + 1;
        var common = new int[(n + 1) * width];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                common[i * width + j] = a[start + i] == b[start + j]
                    ? common[(i + 1) * width + j + 1] + 1
                    : Math.Max(common[(i + 1) * width + j], common[i * width + j + 1]);
            }
        }
        var (x, y) = (0, 0);
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y])
            {
                (x, y) = (x + 1, y + 1);
            }
            else if (y == m || (x < n && common[(x + 1) * width + y] >= common[x * width + y + 1]))
            {
                changes.Add(new LineChange("removed", start + x + 1, a[start + x]));
                x++;
            }
            else
            {
                changes.Add(new LineChange("added", start + y + 1, b[start + y]));
                y++;
            }
        }
        return new LineDifference(true, changes);
    }

    private static string[] Lines(string? text) => string.IsNullOrEmpty(text) ? [] : text.ReplaceLineEndings("\n").Split('\n');
}
