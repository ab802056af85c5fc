using TopGun.Server.Admin;

namespace TopGun.Server.Tests.Admin;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Families_carry_help_and_type_lines_and_label_values_are_escaped()
    {
        var text = new PrometheusText()
            .Counter("a_total", "Counts\\things\nhere.", 3)
            .Gauge("b", "By label.", "name", [("x\"y", 1.5), ("back\\slash", -2)])
            .ToString();

        Assert.Equal(
            "# HELP a_total Counts\\\\things\\nhere.\n# TYPE a_total counter\na_total 3\n" +
            "# HELP b By label.\n# TYPE b gauge\nb{name=\"x\\\"y\"} 1.5\nb{name=\"back\\\\slash\"} -2\n",
            text);
    }
}
