namespace TopGun.ClusterBench;

/// <summary>One measured anti-entropy round: wall time from trigger to a converged replica, and what moved.</summary>
public sealed record RoundResult(int Round, double Milliseconds, long RecordsStreamed, long ExchangeRoundTrips, int RecordsReceived, int RecordsSent);
