using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Keys;

public sealed class RevokeKey(ContentDb db, TimeProvider clock) : EndpointWithoutRequest<IResult>
{
    public override void Configure()
    {
        Delete("/v1/manage/keys/{id}");
        Policies(ApiScopes.Admin);
        Tags("API keys");
        Description(d => d.Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound));
        Summary(s =>
        {
            s.Summary = "Revoke an API key";
            s.Description = "The key stops working at once (401 from then on); it stays in the list, marked revoked.";
        });
    }

    public override async Task<IResult> ExecuteAsync(CancellationToken ct)
    {
        var (id, problem) = ResourceWrites.ParseId(Route<string>("id"));
        var key = problem is null ? await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct) : null;
        if (key is null)
        {
            return problem ?? Problems.NotFound($"No API key has the id {id}.");
        }
        var now = clock.GetUtcNow();
        key.RevokedAt ??= now; // revoking twice keeps the first time
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "revoke", "key", key.Id, key.Name, null, now));
        await db.SaveChangesAsync(ct);
        return ResourceWrites.NoContent();
    }
}
