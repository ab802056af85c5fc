using BenchmarkDotNet.Running;

namespace TopGun.Benchmarks;

public static class Program
{
    /// <summary>Pick benchmarks with BenchmarkDotNet's usual switches, e.g. <c>--filter '*Lww*' --job short</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
