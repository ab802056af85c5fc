using TopGun.Server.Hosting;

return await TopGunHost.RunAsync(args).ConfigureAwait(false);
