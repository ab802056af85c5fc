using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TopGun.Server.Tests.Admin;

/// <summary>
/// Makes a request look as if its TCP peer were another machine: the first middleware of the pipeline replaces
/// <c>HttpContext.Connection.RemoteIpAddress</c> with the address in the <see cref="HeaderName"/> header, the way
/// a real non-loopback connection would arrive. Requests without the header keep their real (loopback) peer, so
/// the tests need no network interface beyond loopback.
/// </summary>
public sealed class PeerAddressOverride : IStartupFilter
{
    public const string HeaderName = "X-Test-Peer-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (HttpContext context, RequestDelegate following) =>
        {
            if (context.Request.Headers.TryGetValue(HeaderName, out var value) && IPAddress.TryParse(value.ToString(), out var peer))
            {
                context.Connection.RemoteIpAddress = peer;
                context.Request.Headers.Remove(HeaderName);
            }
            await following(context);
        });
        next(app);
    };
}
