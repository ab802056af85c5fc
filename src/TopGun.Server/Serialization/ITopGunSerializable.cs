namespace TopGun.Server.Serialization;

/// <summary>
/// Marks a type that is persisted or sent between nodes. Every such type must be registered in a
/// <see cref="TopGunMessageSerializer"/> and bound to it in HOCON; the binding tests enforce both.
/// </summary>
internal interface ITopGunSerializable;
