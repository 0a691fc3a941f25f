using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage.Versions;

public sealed class RestoreVersion(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Post($"/v1/manage/{VersionedKinds.Route}/{{id}}/versions/{{version}}/restore");
        Policies(ApiScopes.Write);
        Tags("Versions");
        Description(d => d.Produces<object>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Summary(s =>
        {
            s.Summary = "Restore an earlier version of an article, author, section, topic or work";
            s.Description = "Writes a new version whose fields are those of the version named: a PUT with that version's fields, " +
                            "checked again as a PUT is (a reference to something deleted since, or a slug another resource took " +
                            "since, is a 409 naming it), announced in the change feed and to webhooks and evicted from the cache " +
                            "like any edit. History is never rewritten: the versions in between stay. An article's status and " +
                            "publication time are not fields a PUT writes, so a restore keeps the current ones (publish, schedule, " +
                            "unpublish and archive change them); it keeps the current unpublishAt too, the embargo's end being part " +
                            "of that lifecycle. A deleted author, section, topic or work cannot be restored (404): " +
                            "create it again from its version's fields. Needs If-Match with the current ETag: 428 without it, 412 " +
                            "when someone changed it since.";
            s.Responses[StatusCodes.Status200OK] = "The resource as it now is, in its management shape, with its new ETag.";
            s.Responses[StatusCodes.Status409Conflict] =
                "The version's fields no longer hold (a referenced resource deleted, a rule tightened), or its slug is now another resource's.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (kind, idValue) = (Route<string>("kind")!, Route<string>("id"));
        var (id, badId) = ResourceWrites.ParseId(idValue);
        if (badId is not null)
        {
            return badId;
        }
        var type = VersionedKinds.TypeOf(kind);
        var current = await VersionedKinds.Table(db, kind).Where(e => e.Id == id).Select(e => (int?)e.Version).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return Problems.NotFound($"No {type} has the id {id}. A deleted {type}'s versions can be read but not restored; create it again from one.");
        }
        // If-Match is checked here, before the stored fields: what the replace then refuses is the fields' own fault.
        if (ResourceWrites.RequireIfMatch(HttpContext, current.Value).Problem is { } precondition)
        {
            return precondition;
        }
        var (stored, missing) = await ResourceVersions.FindAsync(db, kind, idValue, Route<string>("version"), "version", ct);
        if (stored is null)
        {
            return missing!;
        }
        return await VersionedKinds.RestoreAsync(kind, HttpContext, db, idValue!, stored.Version, stored.Snapshot, ct);
    }
}
