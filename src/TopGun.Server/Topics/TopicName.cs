namespace TopGun.Server.Topics;

/// <summary>
/// The protocol's topic name rule: 1 to <see cref="MaxLength"/> characters of <c>[\w\-.:/]</c>, where <c>\w</c>
/// is JavaScript's ASCII-only class (the TS server tests with a non-unicode regex, so "café" is refused there too).
/// </summary>
internal static class TopicName
{
    public const int MaxLength = 256;

    /// <summary>Null when <paramref name="topic"/> is a valid name, else why it is not.</summary>
    public static string? Check(string? topic)
    {
        if (string.IsNullOrEmpty(topic)) return "topic must not be empty";
        if (topic.Length > MaxLength) return $"topic is longer than {MaxLength} characters";
        foreach (var c in topic)
        {
            if (!IsAllowed(c)) return $"topic may contain only letters, digits and _ - . : / (found '{Printable(c)}')";
        }
        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/';

    private static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
