namespace ContentApi.Manage.Articles;

// The management endpoints for articles; their behaviour is in Manage/ResourceEndpoints.cs, their mapping in ManagedArticle.cs.

public sealed class CreateArticle : CreateResource<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
public sealed class GetManagedArticle : GetResource<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
public sealed class ListManagedArticles : ListResources<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
public sealed class ReplaceArticle : ReplaceResource<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
public sealed class PatchArticle : PatchResource<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
public sealed class DeleteArticle : DeleteResource<ArticleResource, Content.Article, ArticleInput, ManagedArticle>;
