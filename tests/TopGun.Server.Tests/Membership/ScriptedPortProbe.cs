using System.Collections.Concurrent;
using TopGun.Server.Membership;

namespace TopGun.Server.Tests.Membership;

/// <summary>Answers each port with a scripted sequence of states; the last one repeats. Counts the probes per port.</summary>
internal sealed class ScriptedPortProbe : IPortProbe
{
    private readonly ConcurrentDictionary<int, PortState[]> _scripts = new();
    private readonly ConcurrentDictionary<int, int> _probes = new();

    public void Script(int port, params PortState[] states) => _scripts[port] = states;

    public int ProbesOf(int port) => _probes.TryGetValue(port, out var count) ? count : 0;

    public Task<PortState> ProbeAsync(string host, int port, TimeSpan timeout)
    {
        var index = _probes.AddOrUpdate(port, 1, (_, n) => n + 1) - 1;
        var script = _scripts.TryGetValue(port, out var s) ? s : [PortState.Listening];
        return Task.FromResult(script[Math.Min(index, script.Length - 1)]);
    }
}
