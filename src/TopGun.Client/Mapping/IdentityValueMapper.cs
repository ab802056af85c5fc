using TopGun.Core.Values;

namespace TopGun.Client.Mapping;

/// <summary>The untyped mapping: values stay <see cref="Value"/>.</summary>
public sealed class IdentityValueMapper : IValueMapper<Value>
{
    public static IdentityValueMapper Instance { get; } = new();

    public Value ToValue(Value item) => item ?? throw new ArgumentNullException(nameof(item));

    public Value FromValue(Value value) => value;
}
