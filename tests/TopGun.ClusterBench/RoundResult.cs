namespace TopGun.ClusterBench;

/// <summary>One measured anti-entropy round: wall time from trigger to a converged replica, and what moved.</summary>
public sealed record RoundResult(int Round, double Milliseconds, long RecordsStreamed, long ExchangeRoundTrips, long ExchangeEntries, int RecordsReceived, int RecordsSent);
