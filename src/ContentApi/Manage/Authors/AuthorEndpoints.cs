namespace ContentApi.Manage.Authors;

// The management endpoints for authors; their behaviour is in Manage/ResourceEndpoints.cs, their mapping in ManagedAuthor.cs.

public sealed class CreateAuthor : CreateResource<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
public sealed class GetManagedAuthor : GetResource<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
public sealed class ListManagedAuthors : ListResources<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
public sealed class ReplaceAuthor : ReplaceResource<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
public sealed class PatchAuthor : PatchResource<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
public sealed class DeleteAuthor : DeleteResource<AuthorResource, Content.Author, AuthorInput, ManagedAuthor>;
