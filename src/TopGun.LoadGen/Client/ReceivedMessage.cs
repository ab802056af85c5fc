using TopGun.Core.Protocol;

namespace TopGun.LoadGen.Client;

/// <summary>A server message with the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the frame that carried it.</summary>
public readonly record struct ReceivedMessage(Message Message, long ReceivedAt);
