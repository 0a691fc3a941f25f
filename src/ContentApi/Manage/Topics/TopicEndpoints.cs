namespace ContentApi.Manage.Topics;

// The management endpoints for topics; their behaviour is in Manage/ResourceEndpoints.cs, their mapping in ManagedTopic.cs.

public sealed class CreateTopic : CreateResource<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
public sealed class GetManagedTopic : GetResource<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
public sealed class ListManagedTopics : ListResources<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
public sealed class ReplaceTopic : ReplaceResource<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
public sealed class PatchTopic : PatchResource<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
public sealed class DeleteTopic : DeleteResource<TopicResource, Content.Topic, TopicInput, ManagedTopic>;
