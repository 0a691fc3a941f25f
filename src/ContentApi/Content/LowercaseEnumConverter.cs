using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ContentApi.Content;

/// <summary>Stores an enum as its lowercase name ("published"), the form the API and the check constraints use.</summary>
public sealed class LowercaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => value.ToString().ToLowerInvariant(),
    text => Enum.Parse<TEnum>(text, true))
    where TEnum : struct, Enum;
