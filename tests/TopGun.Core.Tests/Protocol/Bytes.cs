namespace TopGun.Core.Tests.Protocol;

internal static class Bytes
{
    /// <summary>Parses "de 00 01 a4 ..." (spaces optional) into bytes.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
