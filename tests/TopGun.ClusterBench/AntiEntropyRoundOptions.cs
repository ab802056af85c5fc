namespace TopGun.ClusterBench;

/// <param name="Keys">Keys in the one measured partition.</param>
/// <param name="Differing">Keys the replica holds differently per round: 60% changed at the owner, 40% new there.</param>
/// <param name="Rounds">Measured rounds; each re-creates the difference first.</param>
public sealed record AntiEntropyRoundOptions(int Keys, int Differing, int Rounds);
