using System.Globalization;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Versions;

/// <summary>Which page of a resource's history to read.</summary>
public sealed class VersionListRequest
{
    /// <summary>Versions per page, 1 to 100 (default 20).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>page.next</c> value of the previous page, passed back unchanged.</summary>
    public string? Cursor { get; init; }
}

public sealed class VersionListRequestValidator : Validator<VersionListRequest>
{
    public VersionListRequestValidator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Paging.MaxLimit);
        RuleFor(r => r.Cursor).Must(c => Paging.DecodeCursor(c) is { SortValue: var v } && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .When(r => r.Cursor is not null).WithMessage(Paging.BadCursorMessage);
    }
}

/// <summary>One stored version, without its content.</summary>
/// <param name="Version">The resource's version after the change: the ETag it had then, without quotes.</param>
/// <param name="At">When the change was committed (UTC).</param>
/// <param name="KeyName">The name of the API key that made it; 'scheduler' for scheduled publishing.</param>
/// <param name="Action">create, replace, patch, restore, publish, schedule, unpublish, archive or delete.</param>
public sealed record VersionSummary(int Version, DateTimeOffset At, string KeyName, string Action);

public sealed class ListVersions(ContentDb db) : Endpoint<VersionListRequest, IResult>
{
    public override void Configure()
    {
        Get($"/v1/manage/{VersionedKinds.Route}/{{id}}/versions");
        Policies(ApiScopes.Write);
        Tags("Versions");
        Description(d => d.Produces<ListResponse<VersionSummary>>().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "List the versions of an article, author, section, topic or work";
            s.Description = "Every stored version of the resource, newest first: its number (the ETag it had), when, which key and how. " +
                            "A deleted resource's history stays readable. Content created by the seed or the bulk import has no " +
                            "version until its first change through the API.";
        });
    }

    public override async Task<IResult> ExecuteAsync(VersionListRequest request, CancellationToken ct)
    {
        var kind = Route<string>("kind")!;
        var (id, badId) = ResourceWrites.ParseId(Route<string>("id"));
        if (badId is not null)
        {
            return badId;
        }
        var type = VersionedKinds.TypeOf(kind);
        var versions = db.ResourceVersions.AsNoTracking().Where(v => v.ResourceId == id && v.ResourceType == type);
        var total = await Paging.CountAsync(versions, ct);
        if (total.Value == 0 && !await VersionedKinds.Table(db, kind).AnyAsync(e => e.Id == id, ct))
        {
            return Problems.NotFound($"No {type} has the id {id}, and none had it.");
        }
        var limit = request.Limit ?? Paging.DefaultLimit;
        if (Paging.DecodeCursor(request.Cursor) is { SortValue: var last })
        {
            var before = int.Parse(last, CultureInfo.InvariantCulture);
            versions = versions.Where(v => v.Version < before);
        }
        var rows = await versions.OrderByDescending(v => v.Version).Take(limit + 1)
            .Select(v => new VersionSummary(v.Version, v.At, v.KeyName, v.Action))
            .ToListAsync(ct);
        var (items, next) = Paging.Trim(rows, limit, v => Paging.EncodeCursor(v.Version.ToString(CultureInfo.InvariantCulture), Guid.Empty));
        Paging.SetLinks(HttpContext, next, null, next is not null);
        return ResourceWrites.Answer(new ListResponse<VersionSummary>(items, new PageInfo(limit, next, total)), version: null);
    }
}
