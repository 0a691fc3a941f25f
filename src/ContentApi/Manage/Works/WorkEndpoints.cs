namespace ContentApi.Manage.Works;

// The management endpoints for works; their behaviour is in Manage/ResourceEndpoints.cs, their mapping in ManagedWork.cs.

public sealed class CreateWork : CreateResource<WorkResource, Content.Work, WorkInput, ManagedWork>;
public sealed class GetManagedWork : GetResource<WorkResource, Content.Work, WorkInput, ManagedWork>;
public sealed class ListManagedWorks : ListResources<WorkResource, Content.Work, WorkInput, ManagedWork>;
public sealed class ReplaceWork : ReplaceResource<WorkResource, Content.Work, WorkInput, ManagedWork>;
public sealed class PatchWork : PatchResource<WorkResource, Content.Work, WorkInput, ManagedWork>;
public sealed class DeleteWork : DeleteResource<WorkResource, Content.Work, WorkInput, ManagedWork>;
