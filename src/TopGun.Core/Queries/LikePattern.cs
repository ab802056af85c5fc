namespace TopGun.Core.Queries;

/// <summary>
/// SQL LIKE over a whole string: <c>%</c> is any run of characters (newlines included), <c>_</c> is
/// exactly one UTF-16 code unit, everything else is literal and compared case-insensitively. There is
/// no escape character, as in TS. Matched directly rather than through a regex, so no pattern
/// character can inject regex syntax and the cost is bounded by pattern × input length.
/// </summary>
internal static class LikePattern
{
    public static bool IsMatch(string input, string pattern)
    {
        int i = 0, p = 0;
        int starP = -1, starI = 0;
        while (i < input.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                starP = p++;
                starI = i;
            }
            else if (p < pattern.Length && (pattern[p] == '_' || SameIgnoringCase(pattern[p], input[i])))
            {
                p++;
                i++;
            }
            else if (starP >= 0)
            {
                // Let the last % swallow one more character and retry from there.
                p = starP + 1;
                i = ++starI;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }

    private static bool SameIgnoringCase(char a, char b) =>
        a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b) || char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
}
