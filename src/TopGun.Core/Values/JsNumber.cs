using System.Globalization;
using System.Text;

namespace TopGun.Core.Values;

/// <summary>
/// Formats doubles exactly as JavaScript's <c>Number.prototype.toString()</c> does. Hashes that the TS
/// peers compute over numbers printed as strings (Merkle item hashes, OR-map entry hashes) only
/// agree if we print the same characters.
/// </summary>
public static class JsNumber
{
    public static string ToString(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == 0) return "0";
        if (Math.Abs(d) < 1e15 && d == Math.Floor(d)) return ((long)d).ToString(CultureInfo.InvariantCulture);

        // Shortest round-trip digits, then JS's layout rules (ECMA-262 Number::toString).
        var shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        ParseDigits(shortest, out var digits, out var n);
        var k = digits.Length;
        var sb = new StringBuilder(32);
        if (d < 0) sb.Append('-');
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            var e = n - 1;
            sb.Append('e').Append(e >= 0 ? '+' : '-').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Splits .NET's shortest round-trip text into significant digits and the decimal exponent n (value = 0.digits × 10^n).</summary>
    private static void ParseDigits(string text, out string digits, out int n)
    {
        var exp = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        var mantissa = text;
        if (ePos >= 0)
        {
            exp = int.Parse(text.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = text[..ePos];
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fracPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var leadingZeros = 0;
        while (leadingZeros < all.Length - 1 && all[leadingZeros] == '0') leadingZeros++;
        digits = all[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        n = intPart.Length - leadingZeros + exp;
    }
}
