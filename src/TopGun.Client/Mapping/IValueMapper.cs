using TopGun.Core.Values;

namespace TopGun.Client.Mapping;

/// <summary>Converts between an application type and the wire value model.</summary>
public interface IValueMapper<T>
{
    Value ToValue(T item);

    T FromValue(Value value);
}
