using FluentValidation;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ContentApi.Seeding;

/// <summary>Everything in a seeds folder, read and checked field by field.</summary>
public sealed record SeedFiles(
    IReadOnlyList<SectionSeed> Sections,
    IReadOnlyList<TopicSeed> Topics,
    IReadOnlyList<AuthorSeed> Authors,
    IReadOnlyList<WorkSeed> Works,
    IReadOnlyList<(string Path, ArticleSeed Article)> Articles)
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build(); // unknown keys are errors: a misspelt field should not vanish silently

    /// <summary>Reads <paramref name="folder"/>; throws <see cref="SeedException"/> listing every problem found.</summary>
    public static SeedFiles Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new SeedException([new SeedProblem(folder, "the seeds folder does not exist")]);
        }
        var problems = new List<SeedProblem>();
        var sections = ReadList(Path.Combine(folder, "sections.yaml"), new SectionSeedValidator(), problems);
        var topics = ReadList(Path.Combine(folder, "topics.yaml"), new TopicSeedValidator(), problems);
        var authors = ReadList(Path.Combine(folder, "authors.yaml"), new AuthorSeedValidator(), problems);
        var works = ReadList(Path.Combine(folder, "works.yaml"), new WorkSeedValidator(), problems);

        var articles = new List<(string Path, ArticleSeed Article)>();
        var articleFolder = Path.Combine(folder, "articles");
        var articleValidator = new ArticleSeedValidator();
        var articlePaths = Directory.Exists(articleFolder) ? Directory.GetFiles(articleFolder, "*.md") : [];
        foreach (var path in articlePaths.Order(StringComparer.Ordinal))
        {
            var article = ReadArticle(path, problems);
            if (article is not null && Check(path, "", article, articleValidator, problems))
            {
                articles.Add((path, article));
            }
        }

        if (problems.Count > 0)
        {
            throw new SeedException(problems);
        }
        return new SeedFiles(sections, topics, authors, works, articles);
    }

    private static List<T> ReadList<T>(string path, IValidator<T> validator, List<SeedProblem> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add(new SeedProblem(path, "the file is missing"));
            return [];
        }
        List<T>? items;
        try
        {
            items = Yaml.Deserialize<List<T>>(File.ReadAllText(path));
        }
        catch (YamlException ex)
        {
            problems.Add(new SeedProblem(path, $"line {ex.Start.Line}: {Innermost(ex)}"));
            return [];
        }
        items ??= [];
        var valid = new List<T>();
        for (var i = 0; i < items.Count; i++)
        {
            if (Check(path, $"item {i + 1}: ", items[i], validator, problems))
            {
                valid.Add(items[i]);
            }
        }
        return valid;
    }

    private static ArticleSeed? ReadArticle(string path, List<SeedProblem> problems)
    {
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            problems.Add(new SeedProblem(path, "an article file must start with '---' and YAML front matter"));
            return null;
        }
        var end = text.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        if (end < 0)
        {
            problems.Add(new SeedProblem(path, "the front matter has no closing '---' line"));
            return null;
        }
        try
        {
            var article = Yaml.Deserialize<ArticleSeed>(text[4..(end + 1)]) ?? new ArticleSeed();
            article.Body = text[(end + 5)..].Trim();
            return article;
        }
        catch (YamlException ex)
        {
            // +1: the front matter starts on the file's second line.
            problems.Add(new SeedProblem(path, $"line {ex.Start.Line + 1}: {Innermost(ex)}"));
            return null;
        }
    }

    private static bool Check<T>(string path, string prefix, T item, IValidator<T> validator, List<SeedProblem> problems)
    {
        var result = validator.Validate(item);
        problems.AddRange(result.Errors.Select(e => new SeedProblem(path, prefix + e.ErrorMessage)));
        return result.IsValid;
    }

    private static string Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex.Message;
}

/// <summary>One thing wrong with one seed file.</summary>
public sealed record SeedProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The seed files cannot be imported; nothing was written.</summary>
public sealed class SeedException(IReadOnlyList<SeedProblem> problems)
    : Exception($"The seed files have {problems.Count} problem(s); nothing was imported:\n" + string.Join('\n', problems))
{
    public IReadOnlyList<SeedProblem> Problems { get; } = problems;
}
