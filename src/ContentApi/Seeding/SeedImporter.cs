using ContentApi.Content;
using Microsoft.EntityFrameworkCore;

namespace ContentApi.Seeding;

/// <summary>How an import treats rows that already exist.</summary>
public enum SeedMode
{
    /// <summary>
    /// Creates what the files hold and the database lacks; never changes an existing row (found by its slug or a
    /// former slug) and never brings back one that was seeded and then deleted. What every start runs.
    /// </summary>
    FillMissing,

    /// <summary>Makes the database say what the files say, creating, updating and re-creating rows (`seed --overwrite`).</summary>
    Overwrite,
}

/// <summary>
/// Imports seed files in one transaction. Unchanged content stays untouched (its updatedAt too), so a second
/// import writes nothing; any problem, in a file or between files, rolls everything back.
/// </summary>
public sealed class SeedImporter(ContentDb db, TimeProvider clock)
{
    /// <summary>What an import did; <paramref name="Report"/> has a line for each row it created, updated or left out.</summary>
    public sealed record Result(int Created, int Updated, int Unchanged, IReadOnlyList<string> Report);

    private readonly List<string> _report = [];
    private HashSet<(string Type, string Slug)> _seededBefore = [];
    private Dictionary<string, List<FormerSlug>> _formerSlugs = [];

    public async Task<Result> ImportAsync(SeedFiles seeds, SeedMode mode, CancellationToken cancellationToken)
    {
        var problems = CheckReferences(seeds);
        if (problems.Count > 0)
        {
            throw new SeedException(problems);
        }
        var overwrite = mode == SeedMode.Overwrite;
        _report.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        _seededBefore = (await db.SeededSlugs.Select(s => new { s.ResourceType, s.Slug }).ToListAsync(cancellationToken))
            .Select(s => (s.ResourceType, s.Slug)).ToHashSet();
        _formerSlugs = (await db.FormerSlugs.ToListAsync(cancellationToken))
            .GroupBy(f => f.ResourceType).ToDictionary(g => g.Key, g => g.ToList());

        var sections = await ImportRowsAsync(db.Sections, "section", seeds.Sections, s => s.Slug!, overwrite,
            seed => new Section { Slug = seed.Slug!, Name = seed.Name! },
            (section, seed) => { section.Name = seed.Name!; section.Description = seed.Description; },
            cancellationToken);
        var topics = await ImportRowsAsync(db.Topics, "topic", seeds.Topics, t => t.Slug!, overwrite,
            seed => new Topic { Slug = seed.Slug!, Name = seed.Name! },
            (topic, seed) => { topic.Name = seed.Name!; topic.Description = seed.Description; },
            cancellationToken);
        var authors = await ImportRowsAsync(db.Authors, "author", seeds.Authors, a => a.Slug!, overwrite,
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
        var topicIds = Ids(topics);
        var works = await ImportRowsAsync(db.Works.Include(w => w.Topics), "work", seeds.Works, w => w.Slug!, overwrite,
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
                SyncSet(work.Topics, Present(topicIds, seed.Topics), t => t.TopicId, id => new WorkTopic { WorkId = work.Id, TopicId = id });
            },
            cancellationToken);

        var articleSlugs = seeds.Articles.Select(a => a.Article.Slug!).ToHashSet();
        var articles = await ImportRowsAsync(
            db.Articles.Include(a => a.Authors).Include(a => a.Topics).Include(a => a.RelatedWorks).Include(a => a.Figures).AsSplitQuery(),
            "article", seeds.Articles, a => a.Article.Slug!, overwrite,
            seed => new Article { Slug = seed.Article.Slug!, Title = seed.Article.Title!, BodyMarkdown = seed.Article.Body },
            (article, seed) => ApplyArticle(article, seed.Article, seed.Path, sections, Ids(authors), topicIds, Ids(works), problems),
            cancellationToken);
        var articleFormerSlugs = _formerSlugs.GetValueOrDefault("article", []).ToDictionary(f => f.Slug);
        foreach (var (path, seed) in seeds.Articles)
        {
            if (!articles.TryGetValue(seed.Slug!, out var article) || (!overwrite && db.Entry(article).State != EntityState.Added))
            {
                continue; // left out, or there already and not ours to change
            }
            foreach (var former in seed.FormerSlugs ?? [])
            {
                if (articleSlugs.Contains(former) || (articles.TryGetValue(former, out var other) && other.Slug == former))
                {
                    problems.Add(new SeedProblem(path, $"former slug '{former}' is the current slug of an article"));
                }
                else if (!articleFormerSlugs.TryGetValue(former, out var row))
                {
                    row = new FormerSlug { ResourceType = "article", Slug = former, ResourceId = article.Id };
                    articleFormerSlugs[former] = row;
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

    /// <summary>Every slug an article or work names must be declared in the seed files, whatever the database holds.</summary>
    private static List<SeedProblem> CheckReferences(SeedFiles seeds)
    {
        var problems = new List<SeedProblem>();
        var topics = seeds.Topics.Select(t => t.Slug).ToHashSet();
        var authors = seeds.Authors.Select(a => a.Slug).ToHashSet();
        var works = seeds.Works.Select(w => w.Slug).ToHashSet();
        var sections = seeds.Sections.Select(s => s.Slug).ToHashSet();
        void Check(IEnumerable<string>? slugs, HashSet<string?> declared, string kind, string where, string file)
        {
            foreach (var slug in (slugs ?? []).Distinct().Where(s => !declared.Contains(s)))
            {
                problems.Add(new SeedProblem(where, $"{kind} '{slug}' is not in {file}"));
            }
        }
        foreach (var work in seeds.Works)
        {
            Check(work.Topics, topics, "topic", $"work '{work.Slug}'", "topics.yaml");
        }
        foreach (var (path, article) in seeds.Articles)
        {
            Check([article.Section!], sections, "section", path, "sections.yaml");
            Check(article.Authors, authors, "author", path, "authors.yaml");
            Check(article.Topics, topics, "topic", path, "topics.yaml");
            Check(article.RelatedWorks, works, "work", path, "works.yaml");
        }
        return problems;
    }

    private void ApplyArticle(Article article, ArticleSeed seed, string path,
        Dictionary<string, Section> sections, Dictionary<string, Guid> authors,
        Dictionary<string, Guid> topics, Dictionary<string, Guid> works, List<SeedProblem> problems)
    {
        article.Title = seed.Title!;
        article.Dek = seed.Dek;
        if (sections.TryGetValue(seed.Section!, out var section))
        {
            article.SectionId = section.Id;
        }
        else
        {
            problems.Add(new SeedProblem(path, $"section '{seed.Section}' was deleted from the database; the article needs a section"));
        }
        article.Status = Enum.Parse<ContentStatus>(seed.Status!, true);
        article.PublishedAt = SeedDates.Timestamp(seed.PublishedAt);
        article.CanonicalUrl = seed.CanonicalUrl;

        SyncImage(article, seed.Image);
        SyncOriginalPublication(article, seed.OriginalPublication);

        var authorIds = Present(authors, seed.Authors);
        SyncList(article.Authors, authorIds, a => a.AuthorId, a => a.Position, (a, p) => a.Position = p,
            (id, position) => new ArticleAuthor { ArticleId = article.Id, AuthorId = id, Position = position });
        var workIds = Present(works, seed.RelatedWorks);
        SyncList(article.RelatedWorks, workIds, w => w.WorkId, w => w.Position, (w, p) => w.Position = p,
            (id, position) => new ArticleWork { ArticleId = article.Id, WorkId = id, Position = position });
        SyncSet(article.Topics, Present(topics, seed.Topics),
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

    /// <summary>
    /// Loads every row of a table, keyed by slug and by former slug (a renamed row keeps answering to the slug the
    /// files know it by), creates the seeds' missing rows and, when overwriting, applies every seed to its row.
    /// </summary>
    private async Task<Dictionary<string, TEntity>> ImportRowsAsync<TEntity, TSeed>(
        IQueryable<TEntity> table, string type, IEnumerable<TSeed> seeds, Func<TSeed, string> slugOf, bool overwrite,
        Func<TSeed, TEntity> create, Action<TEntity, TSeed> apply, CancellationToken cancellationToken)
        where TEntity : class, IManagedEntity
    {
        var rows = await table.ToListAsync(cancellationToken);
        var bySlug = rows.ToDictionary(r => r.Slug);
        var byId = rows.ToDictionary(r => r.Id);
        foreach (var former in _formerSlugs.GetValueOrDefault(type, []))
        {
            if (byId.TryGetValue(former.ResourceId, out var renamed))
            {
                bySlug.TryAdd(former.Slug, renamed);
            }
        }
        foreach (var seed in seeds)
        {
            var slug = slugOf(seed);
            if (bySlug.TryGetValue(slug, out var entity))
            {
                if (overwrite)
                {
                    apply(entity, seed);
                }
            }
            else if (!overwrite && _seededBefore.Contains((type, slug)))
            {
                _report.Add($"{type} '{slug}': left out, an editor deleted it after it was seeded");
                continue;
            }
            else
            {
                entity = create(seed);
                bySlug[slug] = entity;
                db.Add(entity);
                apply(entity, seed);
            }
            if (_seededBefore.Add((type, slug)))
            {
                db.SeededSlugs.Add(new SeededSlug { ResourceType = type, Slug = slug, SeededAt = clock.GetUtcNow() });
            }
        }
        return bySlug;
    }

    private static Dictionary<string, Guid> Ids<TEntity>(Dictionary<string, TEntity> rows) where TEntity : IManagedEntity =>
        rows.ToDictionary(r => r.Key, r => r.Value.Id);

    /// <summary>The ids of the slugs named that are in the database; one an editor deleted is left out.</summary>
    private static List<Guid> Present(Dictionary<string, Guid> known, List<string>? slugs) =>
        (slugs ?? []).Distinct().Where(known.ContainsKey).Select(slug => known[slug]).ToList();

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
        foreach (var entry in db.ChangeTracker.Entries<IManagedEntity>().ToList())
        {
            var row = entry.Entity;
            var name = $"{entry.Metadata.ClrType.Name.ToLowerInvariant()} '{row.Slug}'";
            if (entry.State == EntityState.Added)
            {
                row.CreatedAt = row.UpdatedAt = now;
                created++;
                _report.Add($"{name}: created");
            }
            else if (entry.State == EntityState.Modified || changedOwners.Contains(row.Id))
            {
                row.UpdatedAt = now;
                row.Version = entry.Property(r => r.Version).OriginalValue + 1;
                updated++;
                _report.Add($"{name}: updated");
            }
            else
            {
                unchanged++;
            }
        }
        return new Result(created, updated, unchanged, _report);
    }
}
