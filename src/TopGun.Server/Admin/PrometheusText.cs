using System.Globalization;
using System.Text;

namespace TopGun.Server.Admin;

/// <summary>Writes metrics in the Prometheus text exposition format (version 0.0.4): HELP, TYPE, then the samples.</summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    public PrometheusText Counter(string name, string help, double value) => Family(name, "counter", help, [(null, value)]);

    public PrometheusText Gauge(string name, string help, double value) => Family(name, "gauge", help, [(null, value)]);

    /// <summary>One gauge family with a sample per value of one label.</summary>
    public PrometheusText Gauge(string name, string help, string label, IEnumerable<(string LabelValue, double Value)> samples) =>
        Family(name, "gauge", help, samples.Select(s => ((string?)$"{label}=\"{Escape(s.LabelValue)}\"", s.Value)));

    public override string ToString() => _text.ToString();

    private PrometheusText Family(string name, string type, string help, IEnumerable<(string? Labels, double Value)> samples)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            _text.Append(name);
            if (labels is not null) _text.Append('{').Append(labels).Append('}');
            _text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        return this;
    }

    private static string Escape(string labelValue) =>
        labelValue.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
