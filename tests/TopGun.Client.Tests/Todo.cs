namespace TopGun.Client.Tests;

/// <summary>The typed value the tests store: maps to <c>{ text, done }</c>.</summary>
public sealed record Todo(string Text, bool Done);
