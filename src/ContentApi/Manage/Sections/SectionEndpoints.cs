namespace ContentApi.Manage.Sections;

// The management endpoints for sections; their behaviour is in Manage/ResourceEndpoints.cs, their mapping in ManagedSection.cs.

public sealed class CreateSection : CreateResource<SectionResource, Content.Section, SectionInput, ManagedSection>;
public sealed class GetManagedSection : GetResource<SectionResource, Content.Section, SectionInput, ManagedSection>;
public sealed class ListManagedSections : ListResources<SectionResource, Content.Section, SectionInput, ManagedSection>;
public sealed class ReplaceSection : ReplaceResource<SectionResource, Content.Section, SectionInput, ManagedSection>;
public sealed class PatchSection : PatchResource<SectionResource, Content.Section, SectionInput, ManagedSection>;
public sealed class DeleteSection : DeleteResource<SectionResource, Content.Section, SectionInput, ManagedSection>;
