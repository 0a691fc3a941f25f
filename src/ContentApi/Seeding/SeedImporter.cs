using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Seeding;

/// <summary>
/// Upserts seed files by slug in one transaction. Unchanged content stays untouched (its updatedAt too), so a
/// second import writes nothing; any problem, in a file or between files, rolls everything back.
/// </summary>
public sealed class SeedImporter(ContentDb db, TimeProvider clock)
{
    /// <summary>What an import did.</summary>
    public sealed record Result(int Created, int Updated, int Unchanged);

    public async Task<Result> ImportAsync(SeedFiles seeds, CancellationToken cancellationToken)
    {
        var problems = new List<SeedProblem>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var sections = await UpsertAsync(db.Sections, seeds.Sections, s => s.Slug, s => s.Slug!,
            seed => new Section { Slug = seed.Slug!, Name = seed.Name! },
            (section, seed) => { section.Name = seed.Name!; section.Description = seed.Description; },
            cancellationToken);
        var topics = await UpsertAsync(db.Topics, seeds.Topics, t => t.Slug, t => t.Slug!,
            seed => new Topic { Slug = seed.Slug!, Name = seed.Name! },
            (topic, seed) => { topic.Name = seed.Name!; topic.Description = seed.Description; },
            cancellationToken);
        var authors = await UpsertAsync(db.Authors, seeds.Authors, a => a.Slug, a => a.Slug!,
            seed => new Author { Slug = seed.Slug!, Name = seed.Name! },
            (author, seed) =>
            {
                author.Name = seed.Name!;
                author.Bio = seed.Bio;
                author.AvatarUrl = seed.AvatarUrl;
                var links = (seed.Links ?? []).Select(l => (l.Label!, l.Url!)).ToList();
                if (!author.Links.Select(l => (l.Label, l.Url)).SequenceEqual(links))
                {
                    author.Links = links.Select(l => new AuthorLink { Label = l.Item1, Url = l.Item2 }).ToList();
                }
            },
            cancellationToken);
        var topicIds = topics.ToDictionary(t => t.Key, t => t.Value.Id);
        var works = await UpsertAsync(db.Works.Include(w => w.Topics), seeds.Works, w => w.Slug, w => w.Slug!,
            seed => new Work { Slug = seed.Slug!, Title = seed.Title! },
            (work, seed) =>
            {
                work.Kind = Enum.Parse<WorkKind>(seed.Kind!, true);
                work.Title = seed.Title!;
                work.ShortLabel = seed.ShortLabel;
                work.Subtitle = seed.Subtitle;
                work.Creators = seed.Creators;
                work.Description = seed.Description;
                work.CoverUrl = seed.CoverUrl;
                work.Url = seed.Url;
                var ids = Resolve(topicIds, seed.Topics, "topic", $"work '{seed.Slug}'", "topics.yaml", problems);
                SyncSet(work.Topics, ids, t => t.TopicId, id => new WorkTopic { WorkId = work.Id, TopicId = id });
            },
            cancellationToken);

        var articleSlugs = seeds.Articles.Select(a => a.Article.Slug!).ToList();
        var existingArticles = await db.Articles
            .Include(a => a.Authors).Include(a => a.Topics).Include(a => a.RelatedWorks).Include(a => a.Figures)
            .Where(a => articleSlugs.Contains(a.Slug))
            .AsSplitQuery()
            .ToDictionaryAsync(a => a.Slug, cancellationToken);
        var formerSlugs = await db.FormerSlugs.Where(f => f.ResourceType == "article").ToDictionaryAsync(f => f.Slug, cancellationToken);

        foreach (var (path, seed) in seeds.Articles)
        {
            if (!existingArticles.TryGetValue(seed.Slug!, out var article))
            {
                article = new Article { Slug = seed.Slug!, Title = seed.Title!, BodyMarkdown = seed.Body };
                existingArticles[seed.Slug!] = article;
                db.Articles.Add(article);
            }
            ApplyArticle(article, seed, path, sections, authors.ToDictionary(a => a.Key, a => a.Value.Id), topicIds,
                works.ToDictionary(w => w.Key, w => w.Value.Id), problems);
            foreach (var former in seed.FormerSlugs ?? [])
            {
                if (existingArticles.ContainsKey(former) || articleSlugs.Contains(former))
                {
                    problems.Add(new SeedProblem(path, $"former slug '{former}' is the current slug of an article"));
                }
                else if (!formerSlugs.TryGetValue(former, out var row))
                {
                    row = new FormerSlug { ResourceType = "article", Slug = former, ResourceId = article.Id };
                    formerSlugs[former] = row;
                    db.FormerSlugs.Add(row);
                }
                else
                {
                    row.ResourceId = article.Id;
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new SeedException(problems);
        }

        var result = StampChanges();
        await Changes.ContentChanges.SaveAsync(db, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private void ApplyArticle(Article article, ArticleSeed seed, string path,
        Dictionary<string, Section> sections, Dictionary<string, Guid> authors,
        Dictionary<string, Guid> topics, Dictionary<string, Guid> works, List<SeedProblem> problems)
    {
        var file = Path.GetFileName(path);
        article.Title = seed.Title!;
        article.Dek = seed.Dek;
        if (sections.TryGetValue(seed.Section!, out var section))
        {
            article.SectionId = section.Id;
        }
        else
        {
            problems.Add(new SeedProblem(path, $"section '{seed.Section}' is not in sections.yaml"));
        }
        article.Status = Enum.Parse<ContentStatus>(seed.Status!, true);
        article.PublishedAt = SeedDates.Timestamp(seed.PublishedAt);
        article.CanonicalUrl = seed.CanonicalUrl;

        SyncImage(article, seed.Image);
        SyncOriginalPublication(article, seed.OriginalPublication);

        var authorIds = Resolve(authors, seed.Authors, "author", file, "authors.yaml", problems);
        SyncList(article.Authors, authorIds, a => a.AuthorId, a => a.Position, (a, p) => a.Position = p,
            (id, position) => new ArticleAuthor { ArticleId = article.Id, AuthorId = id, Position = position });
        var workIds = Resolve(works, seed.RelatedWorks, "work", file, "works.yaml", problems);
        SyncList(article.RelatedWorks, workIds, w => w.WorkId, w => w.Position, (w, p) => w.Position = p,
            (id, position) => new ArticleWork { ArticleId = article.Id, WorkId = id, Position = position });
        SyncSet(article.Topics, Resolve(topics, seed.Topics, "topic", file, "topics.yaml", problems),
            t => t.TopicId, id => new ArticleTopic { ArticleId = article.Id, TopicId = id });
        SyncFigures(article, seed.Figures ?? []);

        try
        {
            article.SetBody(seed.Body, seed.Excerpt);
        }
        catch (FormatException ex)
        {
            problems.Add(new SeedProblem(path, ex.Message));
        }
    }

    private static void SyncImage(Article article, ImageSeed? seed)
    {
        if (seed is null)
        {
            article.Image = null;
            return;
        }
        article.Image ??= new Image { Url = seed.Url! };
        article.Image.Url = seed.Url!;
        article.Image.Alt = seed.Alt;
        article.Image.Credit = seed.Credit;
    }

    private static void SyncOriginalPublication(Article article, OriginalPublicationSeed? seed)
    {
        if (seed is null)
        {
            article.OriginalPublication = null;
            return;
        }
        article.OriginalPublication ??= new OriginalPublication { Outlet = seed.Outlet! };
        article.OriginalPublication.Outlet = seed.Outlet!;
        article.OriginalPublication.Url = seed.Url;
        article.OriginalPublication.PublishedOn = SeedDates.Date(seed.PublishedOn);
        article.OriginalPublication.Title = seed.Title;
    }

    private static void SyncFigures(Article article, List<FigureSeed> seeds)
    {
        var keys = seeds.Select(f => f.Key!).ToHashSet();
        article.Figures.RemoveAll(f => !keys.Contains(f.Key));
        for (var position = 0; position < seeds.Count; position++)
        {
            var seed = seeds[position];
            var figure = article.Figures.FirstOrDefault(f => f.Key == seed.Key);
            if (figure is null)
            {
                figure = new ArticleFigure { ArticleId = article.Id, Key = seed.Key!, Url = seed.Url! };
                article.Figures.Add(figure);
            }
            figure.Position = position;
            figure.Url = seed.Url!;
            figure.Alt = seed.Alt;
            figure.Caption = seed.Caption;
            figure.Credit = seed.Credit;
        }
    }

    /// <summary>Loads the rows the seeds name, adds the new ones and applies every seed to its row.</summary>
    private async Task<Dictionary<string, TEntity>> UpsertAsync<TEntity, TSeed>(
        IQueryable<TEntity> table, IEnumerable<TSeed> seeds, Func<TEntity, string> entitySlug, Func<TSeed, string> slugOf,
        Func<TSeed, TEntity> create, Action<TEntity, TSeed> apply, CancellationToken cancellationToken)
        where TEntity : class
    {
        var existing = (await table.ToListAsync(cancellationToken)).ToDictionary(entitySlug);
        foreach (var seed in seeds)
        {
            if (!existing.TryGetValue(slugOf(seed), out var entity))
            {
                entity = create(seed);
                existing[slugOf(seed)] = entity;
                db.Add(entity);
            }
            apply(entity, seed);
        }
        return existing;
    }

    /// <summary>The ids of the slugs named, reporting each one that does not exist.</summary>
    private static List<Guid> Resolve(Dictionary<string, Guid> known, List<string>? slugs, string kind,
        string where, string file, List<SeedProblem> problems)
    {
        var ids = new List<Guid>();
        foreach (var slug in (slugs ?? []).Distinct())
        {
            if (known.TryGetValue(slug, out var id))
            {
                ids.Add(id);
            }
            else
            {
                problems.Add(new SeedProblem(where, $"{kind} '{slug}' is not in {file}"));
            }
        }
        return ids;
    }

    /// <summary>Makes an ordered link list match <paramref name="ids"/>, touching only the rows that differ.</summary>
    private static void SyncList<TLink>(List<TLink> links, List<Guid> ids, Func<TLink, Guid> idOf,
        Func<TLink, int> positionOf, Action<TLink, int> setPosition, Func<Guid, int, TLink> create)
    {
        links.RemoveAll(l => !ids.Contains(idOf(l)));
        for (var position = 0; position < ids.Count; position++)
        {
            var link = links.FirstOrDefault(l => idOf(l) == ids[position]);
            if (link is null)
            {
                links.Add(create(ids[position], position));
            }
            else if (positionOf(link) != position)
            {
                setPosition(link, position);
            }
        }
    }

    /// <summary>Makes an unordered link set match <paramref name="ids"/>.</summary>
    private static void SyncSet<TLink>(List<TLink> links, List<Guid> ids, Func<TLink, Guid> idOf, Func<Guid, TLink> create)
    {
        links.RemoveAll(l => !ids.Contains(idOf(l)));
        foreach (var id in ids.Where(id => !links.Any(l => idOf(l) == id)))
        {
            links.Add(create(id));
        }
    }

    /// <summary>Sets createdAt/updatedAt on what this import adds or changes, its links and owned parts included.</summary>
    private Result StampChanges()
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var changedOwners = new HashSet<Guid>();
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State != EntityState.Unchanged))
        {
            // Link rows and owned parts belong to the article or work whose key they carry.
            var owner = entry.Metadata.FindProperty("ArticleId") ?? entry.Metadata.FindProperty("WorkId");
            if (owner is not null && entry.Metadata.FindProperty("UpdatedAt") is null)
            {
                changedOwners.Add((Guid)entry.Property(owner.Name).CurrentValue!);
            }
        }

        int created = 0, updated = 0, unchanged = 0;
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Metadata.FindProperty("UpdatedAt") is not null).ToList())
        {
            var id = (Guid)entry.Property("Id").CurrentValue!;
            if (entry.State == EntityState.Added)
            {
                entry.Property("CreatedAt").CurrentValue = now;
                entry.Property("UpdatedAt").CurrentValue = now;
                created++;
            }
            else if (entry.State == EntityState.Modified || changedOwners.Contains(id))
            {
                entry.Property("UpdatedAt").CurrentValue = now;
                entry.Property("Version").CurrentValue = (int)entry.Property("Version").OriginalValue! + 1;
                updated++;
            }
            else
            {
                unchanged++;
            }
        }
        return new Result(created, updated, unchanged);
    }
}
