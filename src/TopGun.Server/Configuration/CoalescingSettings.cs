namespace TopGun.Server.Configuration;

/// <summary>When outbound messages to one client are flushed as a BATCH (<c>topgun.coalescing</c>).</summary>
public sealed record CoalescingSettings(TimeSpan Window, int MaxMessages, int MaxBytes);
