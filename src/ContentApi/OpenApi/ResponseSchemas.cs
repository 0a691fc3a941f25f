using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ContentApi.OpenApi;

/// <summary>
/// Makes response schemas say what the JSON really is: every property is present (nulls are written), a nullable
/// reference is "that schema or null", URLs are URIs, and a polymorphic type such as BodyBlock is a oneOf of its
/// subtypes chosen by their "type" value, as System.Text.Json writes them.
/// </summary>
public sealed class ResponseSchemas : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }
        if (context.Type.GetCustomAttribute<JsonPolymorphicAttribute>() is { } polymorphic)
        {
            DescribeAsOneOf(concrete, context, polymorphic.TypeDiscriminatorPropertyName ?? "$type");
            return;
        }
        if (context.Type.BaseType?.GetCustomAttribute<JsonPolymorphicAttribute>() is { } parent
            && context.Type.BaseType.GetCustomAttributes<JsonDerivedTypeAttribute>().FirstOrDefault(d => d.DerivedType == context.Type) is { } derived)
        {
            var name = parent.TypeDiscriminatorPropertyName ?? "$type";
            concrete.Properties ??= new Dictionary<string, IOpenApiSchema>();
            concrete.Properties = new Dictionary<string, IOpenApiSchema>
            {
                [name] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(derived.TypeDiscriminator?.ToString())!] },
            }.Concat(concrete.Properties).ToDictionary();
        }
        if (concrete.Properties is { Count: > 0 } properties)
        {
            foreach (var (name, property) in properties.ToList())
            {
                // Swashbuckle writes "this reference, or null" as type null plus allOf; JSON Schema reads that as "never".
                if (property is OpenApiSchema { Type: { } type } text && type.HasFlag(JsonSchemaType.String)
                    && name.EndsWith("url", StringComparison.OrdinalIgnoreCase))
                {
                    text.Format = "uri"; // coverUrl, canonicalUrl, url...: absolute http(s) URLs
                }
                if (property is OpenApiSchema { Type: JsonSchemaType.Null, AllOf: [var reference] } nullable)
                {
                    properties[name] = new OpenApiSchema
                    {
                        Description = nullable.Description,
                        OneOf = [reference, new OpenApiSchema { Type = JsonSchemaType.Null }],
                    };
                }
            }
            concrete.Required = new HashSet<string>(properties.Keys);
            if (context.Type.IsAssignableTo(typeof(Manage.Articles.UnpublishAtRequest)))
            {
                concrete.Required.Remove("unpublishAt"); // left out on purpose, it keeps the end already set
            }
        }
    }

    private static void DescribeAsOneOf(OpenApiSchema schema, SchemaFilterContext context, string discriminator)
    {
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        var options = new List<IOpenApiSchema>();
        foreach (var derived in context.Type.GetCustomAttributes<JsonDerivedTypeAttribute>())
        {
            var reference = (OpenApiSchemaReference)context.SchemaGenerator.GenerateSchema(derived.DerivedType, context.SchemaRepository);
            mapping[derived.TypeDiscriminator!.ToString()!] = reference;
            options.Add(reference);
        }
        schema.Type = null;
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
        schema.AdditionalPropertiesAllowed = true;
        schema.OneOf = options;
        schema.Discriminator = new OpenApiDiscriminator { PropertyName = discriminator, Mapping = mapping };
    }
}
