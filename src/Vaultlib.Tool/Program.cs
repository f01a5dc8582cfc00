// vaultlib: the command-line tool. `vaultlib serve` runs the local AWS endpoint.
using Vaultlib.Tool;

return await VaultlibServer.RunAsync(args);
