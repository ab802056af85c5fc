namespace TopGun.Server.Clients;

/// <summary>
/// A feature a node offers its clients (live queries, counters, locks, topics): given to every connection at
/// creation, in its dependencies, and opened once per connection into that connection's <see cref="ISessionRoute"/>.
/// It holds what the feature needs of the node (its region or router, its settings), so a connection reaches
/// every feature the same way and adding one means a folder, a session child and one entry in the node's list.
/// </summary>
internal interface IConnectionFeature
{
    /// <summary>The feature's routing entry for one connection; starts nothing until the client first uses it.</summary>
    ISessionRoute Open(IConnectionScope connection);
}
