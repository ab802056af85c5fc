using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TopGun.Benchmarks;

/// <summary>
/// The 99th percentile of the per-operation iteration results. BenchmarkDotNet ships P95 and P100 but
/// no P99, which is the figure the client's write target is stated in.
/// </summary>
public sealed class ClientP99Column : IColumn
{
    public string Id => nameof(ClientP99Column);

    public string ColumnName => "P99";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 10;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Percentile 99 of the iteration results (per operation), in microseconds";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        return statistics is null ? "NA" : (statistics.Percentiles.Percentile(99) / 1000).ToString("0.000", CultureInfo.InvariantCulture) + " μs";
    }
}
