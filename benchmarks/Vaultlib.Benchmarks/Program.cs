using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --change-delay [samples]
if (args is ["--change-delay", ..])
{
    await Vaultlib.Benchmarks.ChangeDelay.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
