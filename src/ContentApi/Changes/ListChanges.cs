using System.ComponentModel;
using System.Globalization;
using ContentApi.Content;
using ContentApi.Database;
using ContentApi.Http;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Changes;

/// <summary>Where to read the change feed from, and what to read.</summary>
public sealed class ChangesRequest
{
    /// <summary>The <c>next</c> value of the previous answer; leave out to start from the first change.</summary>
    public string? Cursor { get; init; }

    /// <summary>Only these kinds, comma-separated: article, author, section, topic, work. All by default.</summary>
    public string? Types { get; init; }

    /// <summary>Changes per answer, 1 to 1000 (default 100).</summary>
    [DefaultValue(ListChanges.DefaultLimit)]
    public int? Limit { get; init; }
}

public sealed class ChangesRequestValidator : Validator<ChangesRequest>
{
    public static readonly string[] Kinds = ["article", "author", "section", "topic", "work"];

    public ChangesRequestValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, ListChanges.MaxLimit);
        RuleFor(r => r.Cursor).Must(c => ListChanges.DecodeCursor(c) is not null).When(r => r.Cursor is not null)
            .WithMessage("'cursor' is not one this feed made; pass 'next' from the previous answer unchanged.");
        RuleFor(r => r.Types).Must(t => t!.Split(',').All(k => Kinds.Contains(k.Trim()))).When(r => r.Types is not null)
            .WithMessage($"'types' is a comma-separated list of: {string.Join(", ", Kinds)}.");
    }
}

/// <summary>A change to public content.</summary>
/// <param name="Sequence">Increases with every change, in commit order.</param>
/// <param name="Type">article, author, section, topic or work.</param>
/// <param name="Action">created, updated, deleted, published or unpublished. deleted and unpublished are tombstones: remove the resource from a mirror.</param>
/// <param name="Id">The resource's id.</param>
/// <param name="Slug">Its slug after the change; its delivery address is /v1/{type}s/{slug}.</param>
/// <param name="Version">Its version after the change.</param>
/// <param name="At">When the change was made (UTC).</param>
public sealed record ChangeItem(long Sequence, string Type, string Action, Guid Id, string Slug, int Version, DateTimeOffset At);

/// <summary>A page of the change feed.</summary>
/// <param name="Items">The changes after the cursor, oldest first.</param>
/// <param name="Next">Where to continue from; never null: at the end it marks the current position, to poll again later.</param>
/// <param name="HasMore">Whether more changes are waiting right now.</param>
public sealed record ChangesResponse(IReadOnlyList<ChangeItem> Items, string Next, bool HasMore);

public sealed class ListChanges(ContentDb db) : Endpoint<ChangesRequest, ChangesResponse>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public override void Configure()
    {
        Get("/v1/changes");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Follow every change to public content";
            s.Description = "Creates, updates, publishes, unpublishes and deletes of public content, in commit order, each with a " +
                            "sequence, kind, id, slug and version. Start without a cursor and keep passing 'next': a mirror that " +
                            "applies every change (removing on deleted and unpublished) ends with exactly the published content.";
        });
    }

    public override async Task HandleAsync(ChangesRequest request, CancellationToken ct)
    {
        var after = DecodeCursor(request.Cursor) ?? 0;
        var limit = request.Limit ?? DefaultLimit;
        var kinds = request.Types?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var changes = db.ContentChanges.AsNoTracking().Where(c => c.Sequence > after);
        if (kinds.Length > 0)
        {
            changes = changes.Where(c => kinds.Contains(c.ResourceType));
        }
        var rows = await changes.OrderBy(c => c.Sequence).Take(limit + 1)
            .TagWith(DeliveryStatementTimeout.GenericPlanTag) // a walk down the sequence's index, whatever the position
            .Select(c => new ChangeItem(c.Sequence, c.ResourceType, c.Action, c.ResourceId, c.Slug, c.Version, c.At))
            .ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore)
        {
            rows.RemoveAt(limit);
        }
        // With a type filter, the position still moves past what was skipped only up to the last item returned.
        var position = rows.Count > 0 ? rows[^1].Sequence : after;
        Paging.SetLinks(HttpContext, EncodeCursor(position), page: null, hasNext: true);
        await HttpContext.SendJsonAsync(new ChangesResponse(rows, EncodeCursor(position), hasMore), null, ct);
    }

    public static string EncodeCursor(long sequence) =>
        Paging.EncodeCursor(sequence.ToString(CultureInfo.InvariantCulture), Guid.Empty);

    public static long? DecodeCursor(string? cursor) =>
        Paging.DecodeCursor(cursor) is { } decoded && long.TryParse(decoded.SortValue, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}
