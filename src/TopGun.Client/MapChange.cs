namespace TopGun.Client;

/// <summary>
/// One key of a map changed. <see cref="Value"/> is the new live value, or default when the key was
/// removed (<see cref="IsRemoved"/>).
/// </summary>
public sealed record MapChange<T>(string MapName, string Key, T? Value, bool IsRemoved, ChangeOrigin Origin);
