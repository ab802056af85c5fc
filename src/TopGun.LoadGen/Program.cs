using TopGun.LoadGen;
using TopGun.LoadGen.Scenarios;

LoadGenOptions options;
try
{
    options = LoadGenOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(LoadGenOptions.Usage);
    return 2;
}

// Every run is bounded: the timeout cancels whatever is still waiting, and the scenario reports what it got.
using var deadline = new CancellationTokenSource(options.Timeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};
try
{
    return options.Scenario switch
    {
        "write" => await new WriteScenario(options, Console.Out).RunAsync(deadline.Token),
        "fanout" => await new FanoutScenario(options, Console.Out).RunAsync(deadline.Token),
        _ => await new ConnectionsScenario(options, Console.Out).RunAsync(deadline.Token),
    };
}
catch (OperationCanceledException) when (deadline.IsCancellationRequested)
{
    Console.Error.WriteLine($"Stopped: the run exceeded --timeout {options.Timeout.TotalSeconds:F0} s.");
    return 3;
}
catch (Exception e) when (e is InvalidOperationException or System.Net.WebSockets.WebSocketException or System.Net.Http.HttpRequestException)
{
    Console.Error.WriteLine("Load run failed: " + e.Message);
    return 1;
}
