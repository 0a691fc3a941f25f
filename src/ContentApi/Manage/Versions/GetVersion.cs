using System.Text.Json;
using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Versions;

/// <summary>One stored version with its content.</summary>
/// <param name="Version">The resource's version after the change: the ETag it had then, without quotes.</param>
/// <param name="At">When the change was committed (UTC).</param>
/// <param name="KeyName">The name of the API key that made it; 'scheduler' for scheduled publishing.</param>
/// <param name="Action">create, replace, patch, restore, publish, schedule, unpublish, archive or delete.</param>
/// <param name="Resource">The resource as GET /v1/manage/{kind}/{id} answered right after the change.</param>
public sealed record VersionResponse(int Version, DateTimeOffset At, string KeyName, string Action, JsonElement Resource);

public sealed class GetVersion(ContentDb db) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Get($"/v1/manage/{VersionedKinds.Route}/{{id}}/versions/{{version}}");
        Policies(ApiScopes.Write);
        Tags("Versions");
        Description(d => d.Produces<VersionResponse>().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Get one version of an article, author, section, topic or work";
            s.Description = "The resource exactly as the management API showed it right after that change, with who made the change, " +
                            "how and when. The answer has no ETag: a version never changes; the resource's own GET gives the one to send as If-Match.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (stored, problem) = await ResourceVersions.FindAsync(db, Route<string>("kind")!, Route<string>("id"), Route<string>("version"),
            "version", ct);
        if (stored is null)
        {
            return problem!;
        }
        using var snapshot = JsonDocument.Parse(stored.Snapshot);
        return ResourceWrites.Answer(new VersionResponse(stored.Version, stored.At, stored.KeyName, stored.Action,
            snapshot.RootElement.Clone()), version: null);
    }
}
