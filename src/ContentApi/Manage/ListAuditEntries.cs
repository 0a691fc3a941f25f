using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>Which part of the audit log to read.</summary>
public sealed class AuditRequest
{
    /// <summary>Only the changes to this resource (its id).</summary>
    public Guid? ResourceId { get; init; }

    /// <summary>Entries per page, 1 to 100 (default 20).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>page.next</c> value of the previous page, passed back unchanged.</summary>
    public string? Cursor { get; init; }
}

public sealed class AuditRequestValidator : Validator<AuditRequest>
{
    public AuditRequestValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(r => r.Cursor).Must(c => Paging.DecodeCursor(c) is { SortValue: var entry } && long.TryParse(entry, out _))
            .When(r => r.Cursor is not null).WithMessage(Paging.BadCursorMessage);
    }
}

/// <summary>One change: who made it (the key's name), what, to which resource, and when.</summary>
/// <param name="Id">The entry's number; newer entries have higher ones.</param>
/// <param name="At">When the change was made (UTC).</param>
/// <param name="KeyName">The name of the API key that made it; 'scheduler' for scheduled publishing.</param>
/// <param name="Action">create, replace, patch, restore, delete, publish, schedule, unpublish, archive or revoke.</param>
/// <param name="ResourceType">article, author, section, topic, work, key or webhook.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="Slug">The resource's slug (or a key's name) after the change.</param>
/// <param name="Version">The resource's version after the change.</param>
public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string KeyName, string Action, string ResourceType, Guid ResourceId,
    string? Slug, int? Version);

public sealed class ListAuditEntries(ContentDb db) : Endpoint<AuditRequest, ListResponse<AuditEntryResponse>>
{
    public override void Configure()
    {
        Get("/v1/manage/audit");
        Policies(ApiScopes.Admin);
        Tags("Audit log");
        Summary(s =>
        {
            s.Summary = "Read the audit log";
            s.Description = "Every change made through the management API and by the scheduler, newest first: who (the key's name), " +
                            "what and when. resourceId narrows it to one resource's history.";
        });
    }

    public override async Task HandleAsync(AuditRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? Paging.DefaultLimit;
        var entries = db.AuditLog.AsNoTracking();
        if (request.ResourceId is { } resource)
        {
            entries = entries.Where(e => e.ResourceId == resource);
        }
        var total = await Paging.CountAsync(entries, ct);
        if (Paging.DecodeCursor(request.Cursor) is { SortValue: var last })
        {
            var before = long.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            entries = entries.Where(e => e.Id < before);
        }
        var rows = await entries.OrderByDescending(e => e.Id).Take(limit + 1)
            .Select(e => new AuditEntryResponse(e.Id, e.At, e.KeyName, e.Action, e.ResourceType, e.ResourceId, e.Slug, e.Version))
            .ToListAsync(ct);
        var (items, next) = Paging.Trim(rows, limit,
            e => Paging.EncodeCursor(e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Guid.Empty));
        Paging.SetLinks(HttpContext, next, null, next is not null);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        await Send.OkAsync(new ListResponse<AuditEntryResponse>(items, new PageInfo(limit, next, total)), ct);
    }
}
