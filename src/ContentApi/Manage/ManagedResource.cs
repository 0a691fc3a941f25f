using ContentApi.Content;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Manage;

/// <summary>An input that names its resource's slug.</summary>
public interface IHasSlug
{
    string? Slug { get; }
}

/// <summary>
/// What the management endpoints need to know about one kind of resource: how to load it, how its input maps onto
/// it and back, and what stops it being deleted. The write rules themselves (If-Match, versions, slugs, audit,
/// idempotency) are the same for every kind and live in the endpoint bases.
/// </summary>
public abstract class ManagedResource<TEntity, TInput, TOutput>
    where TEntity : class, IManagedEntity
    where TInput : class, IHasSlug
{
    /// <summary>The singular name used in messages, former slugs and the audit log: "topic".</summary>
    public abstract string Type { get; }

    /// <summary>The route segment: "topics" in /v1/manage/topics.</summary>
    public abstract string Plural { get; }

    public abstract IValidator<TInput> Validator { get; }

    /// <summary>The table with whatever the input and output need loaded.</summary>
    public virtual IQueryable<TEntity> Load(ContentDb db) => db.Set<TEntity>();

    public abstract TEntity Create(TInput input);

    /// <summary>The entity as its input shape: what a PATCH is merged into.</summary>
    public abstract TInput ToInput(TEntity entity);

    public abstract TOutput ToOutput(TEntity entity);

    /// <summary>
    /// Copies the input onto the entity. References to other resources are checked here, where the database is at
    /// hand; each one that does not exist is added to <paramref name="errors"/> under its field.
    /// </summary>
    public abstract Task ApplyAsync(ContentDb db, TEntity entity, TInput input, Dictionary<string, string[]> errors,
        CancellationToken ct);

    /// <summary>Why the entity cannot be deleted (what still uses it), or null when it can.</summary>
    public virtual Task<string?> InUseAsync(ContentDb db, TEntity entity, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>Deletes the entity; an article is archived instead and stays as a tombstone.</summary>
    public virtual void Delete(ContentDb db, TEntity entity) => db.Remove(entity);

    /// <summary>Narrows a list by the request's filters (only articles have any: status).</summary>
    public virtual IQueryable<TEntity> Filter(IQueryable<TEntity> query, ManagedListRequest request) => query;

    /// <summary>
    /// Several slugs a resource is referred to by in a message: "used by 3 articles: a, b, c".
    /// </summary>
    protected static async Task<string?> DescribeUsesAsync(IQueryable<string> articleSlugs, string what, CancellationToken ct)
    {
        var count = await articleSlugs.CountAsync(ct);
        if (count == 0)
        {
            return null;
        }
        var sample = await articleSlugs.OrderBy(s => s).Take(5).ToListAsync(ct);
        return $"{count} {what}{(count == 1 ? "" : "s")} ({string.Join(", ", sample)}{(count > sample.Count ? ", ..." : "")})";
    }
}
