using System.Text.Json;
using ContentApi.Content;
using ContentApi.Http;
using ContentApi.Keys;
using ContentApi.Manage;
using FastEndpoints;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Webhooks;

public sealed class RegisterWebhook(ContentDb db, TimeProvider clock, WebhookSettings settings) : EndpointWithoutRequest<RegisteredWebhookResponse>
{
    public override void Configure()
    {
        Post("/v1/manage/webhooks");
        Policies(ApiScopes.Admin);
        Description(d => d.Accepts<WebhookInput>("application/json"));
        Summary(s =>
        {
            s.Summary = "Register a webhook endpoint";
            s.Description = "Events about public content that change after registration are POSTed to the URL, signed as the " +
                            "Standard Webhooks specification says. The answer holds the signing secret, once. With an Idempotency-Key " +
                            "header, a retry of the same request registers nothing and answers the same endpoint with a null secret.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (body, input, problem) = await JsonBody.ReadInputAsync(HttpContext, new WebhookInputValidator(), ct);
        if (input is not null && await WebhookAddresses.ProblemWithAsync(input.Url!, settings, ct) is { } refused)
        {
            problem = JsonBody.Invalid("url", refused);
        }
        if (body is null || input is null || problem is not null)
        {
            await HttpContext.Response.SendResultAsync(problem!);
            return;
        }
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var start = await IdempotencyKeys.BeginAsync(db, HttpContext, body.Bytes, transaction, now, ct);
        if (start.Answer is not null)
        {
            await HttpContext.Response.SendResultAsync(start.Answer);
            return;
        }
        var endpoint = new WebhookEndpoint
        {
            Url = input.Url!,
            Description = input.Description,
            EventTypes = (input.EventTypes ?? []).Distinct().ToList(),
            Secret = WebhookSignature.NewSecret(),
            Enabled = input.Enabled ?? true,
            StartsAfterSequence = await db.ContentChanges.MaxAsync(c => (long?)c.Sequence, ct) ?? 0,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookEndpoints.Add(endpoint);
        db.AuditLog.Add(ResourceWrites.AuditFor(HttpContext, "create", "webhook", endpoint.Id, null, endpoint.Version, now));
        var location = $"/v1/manage/webhooks/{endpoint.Id}";
        if (start.Row is { } row)
        {
            // Like keys, a replay leaves the secret out: it is shown once (rotate-secret makes a new one).
            IdempotencyKeys.Remember(row, StatusCodes.Status201Created, location, ResourceWrites.ETag(endpoint.Version),
                JsonSerializer.SerializeToUtf8Bytes(new RegisteredWebhookResponse(WebhookResponse.From(endpoint), null), ApiJson.Options));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        HttpContext.Response.Headers.CacheControl = ResourceWrites.PrivateNoStore;
        HttpContext.Response.Headers.Location = location;
        HttpContext.Response.Headers.ETag = ResourceWrites.ETag(endpoint.Version);
        await Send.ResponseAsync(new RegisteredWebhookResponse(WebhookResponse.From(endpoint), endpoint.Secret), StatusCodes.Status201Created, ct);
    }
}
