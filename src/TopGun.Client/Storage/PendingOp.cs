using TopGun.Core.Protocol;

namespace TopGun.Client.Storage;

/// <summary>One write of the op log: a client-wide, monotonically increasing id and the wire op (whose <c>id</c> is that number as a string).</summary>
internal sealed record PendingOp(long Id, ClientOp Op);
