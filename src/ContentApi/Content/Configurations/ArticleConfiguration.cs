using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ContentApi.Content.Configurations;

internal sealed class ArticleConfiguration : IEntityTypeConfiguration<Article>
{
    public void Configure(EntityTypeBuilder<Article> builder)
    {
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_articles_slug", Slugs.CheckSql("slug"));
            t.HasCheckConstraint("ck_articles_status", "status IN ('draft', 'scheduled', 'published', 'archived')");
            // A draft may never have been published, and neither may an article archived straight from draft.
            t.HasCheckConstraint("ck_articles_published_at",
                "status IN ('draft', 'archived') OR published_at IS NOT NULL");
            t.HasCheckConstraint("ck_articles_word_count", "word_count >= 0 AND reading_minutes >= 0");
        });

        builder.Property(a => a.Slug).HasMaxLength(Slugs.MaxLength);
        builder.HasIndex(a => a.Slug).IsUnique();
        builder.Property(a => a.Title).HasMaxLength(300);
        builder.Property(a => a.Dek).HasMaxLength(500);
        builder.Property(a => a.Excerpt).HasMaxLength(1000);
        builder.Property(a => a.CanonicalUrl).HasMaxLength(2048);
        builder.Property(a => a.Status).HasMaxLength(20);
        // json, not jsonb: the text is served as written, and an unchanged re-import compares equal.
        builder.Property(a => a.BodyBlocks).HasColumnType("json");
        // The bodies are most of each row: lz4 compresses them several times faster than the default pglz.
        builder.Property(a => a.BodyMarkdown).UseCompressionMethod("lz4");
        builder.Property(a => a.BodyHtml).UseCompressionMethod("lz4");
        builder.Property(a => a.BodyBlocks).UseCompressionMethod("lz4");
        builder.Property(a => a.BodyText).UseCompressionMethod("lz4");

        builder.OwnsOne(a => a.Image, image =>
        {
            image.Property(i => i.Url).HasMaxLength(2048);
            image.Property(i => i.Alt).HasMaxLength(500);
            image.Property(i => i.Credit).HasMaxLength(300);
        });
        builder.OwnsOne(a => a.OriginalPublication, original =>
        {
            original.Property(o => o.Outlet).HasMaxLength(200);
            original.Property(o => o.Url).HasMaxLength(2048);
            original.Property(o => o.Title).HasMaxLength(500);
        });

        builder.HasOne(a => a.Section).WithMany().HasForeignKey(a => a.SectionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(a => a.Authors).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Topics).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.RelatedWorks).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Figures).WithOne().HasForeignKey(x => x.ArticleId).OnDelete(DeleteBehavior.Cascade);

        // What the scheduler looks for every few seconds: without it, each look reads the whole table.
        builder.HasIndex(a => a.PublishedAt).HasFilter("status = 'scheduled'").HasDatabaseName("ix_articles_scheduled");
        // And for embargoes that end; few articles have one.
        builder.HasIndex(a => a.UnpublishAt).HasFilter("unpublish_at IS NOT NULL").HasDatabaseName("ix_articles_unpublish_at");

        // The delivery API's main path: live articles (published, or scheduled and due), newest first, paged by (published_at, id).
        builder.HasIndex(a => new { a.PublishedAt, a.Id })
            .IsDescending(true, true)
            .HasFilter("status IN ('published', 'scheduled')")
            .HasDatabaseName("ix_articles_published");
        builder.HasIndex(a => new { a.SectionId, a.PublishedAt, a.Id })
            .IsDescending(false, true, true)
            .HasFilter("status IN ('published', 'scheduled')")
            .HasDatabaseName("ix_articles_section_published");

        // Full-text search: kept up to date by PostgreSQL itself, weighted title > dek > excerpt > body, in a row
        // trigger rather than a generated column (ArticleSearchVectorByTrigger says why).
        builder.Property(a => a.SearchVector).ValueGeneratedOnAddOrUpdate();
        builder.HasIndex(a => a.SearchVector).HasMethod("gin");
    }
}

internal sealed class ArticleAuthorConfiguration : IEntityTypeConfiguration<ArticleAuthor>
{
    public void Configure(EntityTypeBuilder<ArticleAuthor> builder)
    {
        builder.HasKey(x => new { x.ArticleId, x.AuthorId });
        builder.HasIndex(x => x.AuthorId);
        builder.ToTable("article_authors", t => t.HasCheckConstraint("ck_article_authors_position", "position >= 0"));
        builder.HasOne(x => x.Author).WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Restrict);
        ListedLinks.Configure(builder, nameof(ArticleAuthor.AuthorId), "ix_article_authors_listed");
    }
}

internal sealed class ArticleTopicConfiguration : IEntityTypeConfiguration<ArticleTopic>
{
    public void Configure(EntityTypeBuilder<ArticleTopic> builder)
    {
        builder.ToTable("article_topics");
        builder.HasKey(x => new { x.ArticleId, x.TopicId });
        builder.HasIndex(x => x.TopicId);
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Restrict);
        ListedLinks.Configure(builder, nameof(ArticleTopic.TopicId), "ix_article_topics_listed");
    }
}

internal sealed class ArticleWorkConfiguration : IEntityTypeConfiguration<ArticleWork>
{
    public void Configure(EntityTypeBuilder<ArticleWork> builder)
    {
        builder.HasKey(x => new { x.ArticleId, x.WorkId });
        builder.HasIndex(x => x.WorkId);
        builder.ToTable("article_works", t => t.HasCheckConstraint("ck_article_works_position", "position >= 0"));
        builder.HasOne(x => x.Work).WithMany().HasForeignKey(x => x.WorkId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ArticleFigureConfiguration : IEntityTypeConfiguration<ArticleFigure>
{
    public void Configure(EntityTypeBuilder<ArticleFigure> builder)
    {
        builder.HasKey(x => new { x.ArticleId, x.Key });
        builder.ToTable("article_figures", t =>
        {
            t.HasCheckConstraint("ck_article_figures_key", Slugs.CheckSql("key"));
            t.HasCheckConstraint("ck_article_figures_position", "position >= 0");
        });
        builder.Property(x => x.Key).HasMaxLength(60);
        builder.Property(x => x.Url).HasMaxLength(2048);
        builder.Property(x => x.Alt).HasMaxLength(500);
        builder.Property(x => x.Caption).HasMaxLength(1000);
        builder.Property(x => x.Credit).HasMaxLength(300);
    }
}

/// <summary>
/// The article-topic and article-author links carry a copy of the article's publish time while it is listed
/// (published or scheduled), so that a topic's or author's articles, newest first, are one walk down one index
/// instead of a join that reads every article of the topic. Triggers keep the copy (the ListedArticles migration).
/// The index also INCLUDEs the article's topic and author ids, which the model does not know (LinkIdsOnLinks): a
/// migration that rebuilds it must keep them, or related articles lose their index-only scoring.
/// </summary>
internal static class ListedLinks
{
    public static void Configure<TLink>(EntityTypeBuilder<TLink> builder, string owner, string indexName) where TLink : class
    {
        builder.Property<DateTimeOffset?>("ListedAt").ValueGeneratedOnAddOrUpdate();
        builder.HasIndex(owner, "ListedAt", "ArticleId")
            .IsDescending(false, true, true)
            .HasFilter("listed_at IS NOT NULL")
            .HasDatabaseName(indexName);
    }
}

internal sealed class ListedCountConfiguration : IEntityTypeConfiguration<ListedCount>
{
    public void Configure(EntityTypeBuilder<ListedCount> builder)
    {
        builder.ToTable("listed_counts", t => t.HasCheckConstraint("ck_listed_counts_kind", "kind IN ('all', 'section', 'topic', 'author')"));
        builder.HasKey(c => new { c.Kind, c.Key });
        builder.Property(c => c.Kind).HasMaxLength(10);
    }
}
