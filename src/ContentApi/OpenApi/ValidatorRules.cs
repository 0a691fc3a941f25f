using System.Globalization;
using FluentValidation;
using FluentValidation.Internal;
using FluentValidation.Validators;
using Microsoft.OpenApi;

namespace ContentApi.OpenApi;

/// <summary>
/// What an endpoint's FluentValidation validator says about its query parameters, read from its rules so that the
/// validator is the one place each rule is written: which parameters it always requires, and the bounds a schema
/// can show (length, pattern, range). A rule written as a Must (a cursor, page × limit) has no schema keyword and
/// shows nothing.
/// </summary>
public sealed class ValidatorRules
{
    private readonly ILookup<string, IRuleComponent> _byMember;

    private ValidatorRules(ILookup<string, IRuleComponent> byMember) => _byMember = byMember;

    public static ValidatorRules For(Type? validatorType) =>
        new((validatorType is not null && Activator.CreateInstance(validatorType) is IValidator validator ? RulesOf(validator) : [])
            .ToLookup(rule => rule.Member, rule => rule.Component, StringComparer.OrdinalIgnoreCase));

    /// <summary>An unconditional NotNull or NotEmpty.</summary>
    public bool Requires(string member) => _byMember[member].Any(c =>
        c.Validator is INotNullValidator or INotEmptyValidator && !c.HasCondition && !c.HasAsyncCondition);

    /// <summary>Writes the member's length, pattern and range rules into its schema.</summary>
    public void Constrain(string member, IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }
        foreach (var validator in _byMember[member].Select(c => c.Validator))
        {
            switch (validator)
            {
                case ILengthValidator { Max: > 0 } length:
                    concrete.MaxLength = length.Max;
                    break;
                case IRegularExpressionValidator regex:
                    concrete.Pattern = regex.Expression;
                    break;
                case IBetweenValidator between:
                    concrete.Minimum = Number(between.From);
                    concrete.Maximum = Number(between.To);
                    break;
                case IComparisonValidator { Comparison: Comparison.GreaterThanOrEqual, ValueToCompare: { } minimum }:
                    concrete.Minimum = Number(minimum);
                    break;
                case IComparisonValidator { Comparison: Comparison.LessThanOrEqual, ValueToCompare: { } maximum }:
                    concrete.Maximum = Number(maximum);
                    break;
            }
        }
    }

    private static string? Number(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture);

    /// <summary>The validator's rules with those of the validators it includes; rules for each item of a list are left out.</summary>
    private static IEnumerable<(string Member, IRuleComponent Component)> RulesOf(IValidator validator)
    {
        foreach (var rule in (IEnumerable<IValidationRule>)validator)
        {
            foreach (var component in rule.Components)
            {
                if (rule is IIncludeRule && component.Validator is IChildValidatorAdaptor child
                    && Activator.CreateInstance(child.ValidatorType) is IValidator included)
                {
                    foreach (var inner in RulesOf(included))
                    {
                        yield return inner;
                    }
                }
                else if (rule.PropertyName is { } member && !IsForEachItem(rule))
                {
                    yield return (member, component);
                }
            }
        }
    }

    private static bool IsForEachItem(IValidationRule rule) => rule.GetType().GetInterfaces()
        .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));
}
