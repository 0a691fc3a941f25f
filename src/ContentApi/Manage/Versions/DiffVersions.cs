using System.Text.Json;
using System.Text.Json.Nodes;
using ContentApi.Content;
using ContentApi.Keys;
using FastEndpoints;

namespace ContentApi.Manage.Versions;

/// <summary>One top-level field that differs between two versions.</summary>
/// <param name="Field">The field's name, as the management API shows it.</param>
/// <param name="Before">Its value in the first version named (a): any JSON value, null included.</param>
/// <param name="After">Its value in the second version named (b): any JSON value, null included.</param>
/// <param name="Lines">For an article's body only: the lines removed and added.</param>
public sealed record FieldDifference(string Field, JsonElement Before, JsonElement After, LineDifference? Lines);

/// <summary>How version b differs from version a.</summary>
/// <param name="From">Version a.</param>
/// <param name="To">Version b.</param>
/// <param name="Fields">The fields whose values differ, in the resource's field order; empty when the two are alike.</param>
public sealed record VersionDifference(int From, int To, IReadOnlyList<FieldDifference> Fields);

public sealed class DiffVersions(ContentDb db) : EndpointWithoutRequest<IResult>
{
    // Fields that differ between any two versions, or follow from another field: left out of the comparison.
    private static readonly HashSet<string> Bookkeeping = ["version", "updatedAt", "bodyHtml"];

    public override void Configure()
    {
        Get($"/v1/manage/{VersionedKinds.Route}/{{id}}/versions/{{a}}/diff/{{b}}");
        Policies(ApiScopes.Write);
        Tags("Versions");
        Description(d => d.Produces<VersionDifference>().ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Compare two versions of an article, author, section, topic or work";
            s.Description = "Each top-level field whose value differs between version a and version b, with both values; an article's " +
                            "body also as a line diff. version, updatedAt and bodyHtml are not compared (they differ between any two " +
                            "versions, or follow from the body). a may be newer than b.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (kind, id) = (Route<string>("kind")!, Route<string>("id"));
        var (a, missingA) = await ResourceVersions.FindAsync(db, kind, id, Route<string>("a"), "a", ct);
        if (a is null)
        {
            return missingA!;
        }
        var (b, missingB) = await ResourceVersions.FindAsync(db, kind, id, Route<string>("b"), "b", ct);
        if (b is null)
        {
            return missingB!;
        }
        var before = JsonNode.Parse(a.Snapshot)!.AsObject();
        var after = JsonNode.Parse(b.Snapshot)!.AsObject();
        var fields = new List<FieldDifference>();
        foreach (var name in before.Select(f => f.Key).Union(after.Select(f => f.Key)).Where(n => !Bookkeeping.Contains(n)))
        {
            var (was, now) = (before[name], after[name]);
            if (!JsonNode.DeepEquals(was, now))
            {
                var lines = name == "body" ? LineDiff.Compare(was?.GetValue<string>(), now?.GetValue<string>()) : null;
                fields.Add(new FieldDifference(name, JsonSerializer.SerializeToElement(was), JsonSerializer.SerializeToElement(now), lines));
            }
        }
        return ResourceWrites.Answer(new VersionDifference(a.Version, b.Version, fields), version: null);
    }
}
