using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class UpdateWebhook(ContentDb db, TimeProvider clock, WebhookSettings settings) : EndpointWithoutRequest<WebhookResponse>
{
    public override void Configure()
    {
        Patch("/v1/manage/webhooks/{id}");
        Policies(ApiScopes.Admin);
        Description(d => d.Accepts<WebhookInput>(JsonBody.MergePatchType, "application/json"));
        Summary(s =>
        {
            s.Summary = "Change a webhook endpoint";
            s.Description = "A JSON Merge Patch of url, eventTypes, description and enabled (true turns an endpoint disabled by a 410 " +
                            "back on). Needs If-Match with the current ETag.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (endpoint, problem) = await WebhookLookup.FindAsync(db, Route<string>("id"), tracked: true, ct);
        if (endpoint is null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var (version, stale) = ResourceWrites.RequireIfMatch(HttpContext, endpoint.Version);
        var (body, unreadable) = stale is null ? await JsonBody.ReadAsync(HttpContext, mergePatch: true, ct) : (null, null);
        if (body is null)
        {
            await HttpContext.Response.SendResultAsync((stale ?? unreadable)!);
            return;
        }
        var current = JsonSerializer.SerializeToNode(new WebhookInput(endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.Enabled), ApiJson.Options);
        var (input, invalid) = await JsonBody.BindAsync(MergePatch.Apply(current, body.Json)!, new WebhookInputValidator(), ct);
        if (input is not null && input.Url != endpoint.Url && await WebhookAddresses.ProblemWithAsync(input.Url!, settings, ct) is { } refused)
        {
            invalid = JsonBody.Invalid("url", refused);
        }
        if (input is null || invalid is not null)
        {
            await HttpContext.Response.SendResultAsync(invalid!);
            return;
        }

        var now = clock.GetUtcNow();
        endpoint.Url = input.Url!;
        endpoint.EventTypes = (input.EventTypes ?? []).Distinct().ToList();
        endpoint.Description = input.Description;
        if (input.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            endpoint.Enabled = enabled;
            endpoint.DisabledReason = enabled ? null : "Disabled by an admin.";
        }
        db.Entry(endpoint).Property(e => e.Version).OriginalValue = version;
        endpoint.Version = version + 1;
        endpoint.UpdatedAt = now;
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "patch", "webhook", endpoint.Id, null, endpoint.Version, now));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await HttpContext.Response.SendResultAsync(WebhookLookup.ChangedMeanwhile());
            return;
        }
        await ResourceWrites.SendAsync(HttpContext, WebhookResponse.From(endpoint), endpoint.Version, ct: ct);
    }
}
