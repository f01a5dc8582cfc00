using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Vaultlib.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program;
