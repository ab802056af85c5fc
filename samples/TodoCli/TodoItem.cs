namespace TodoCli;

/// <summary>A todo as stored in the LWW map <c>todos</c> (key = item id): <c>{ text, done }</c>.</summary>
public sealed record TodoItem(string Text, bool Done);
