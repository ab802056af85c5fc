namespace TopGun.Client.Queries;

public enum QueryChangeKind
{
    /// <summary>The key entered the result page.</summary>
    Enter,
    /// <summary>The key stayed in the page with a new value.</summary>
    Update,
    /// <summary>The key left the page.</summary>
    Leave,
}

/// <summary>One key entering, changing in or leaving a live query's current page.</summary>
public sealed record QueryChange<T>(QueryChangeKind Kind, string Key, T? Value);

/// <summary>One row of a live query: the record key and its value.</summary>
public sealed record QueryRow<T>(string Key, T Value);
