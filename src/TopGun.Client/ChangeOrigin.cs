namespace TopGun.Client;

/// <summary>Whether a replica change came from this client or from the server.</summary>
public enum ChangeOrigin
{
    Local,
    Remote,
}
