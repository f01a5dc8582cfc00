using System.Diagnostics;

namespace Vaultlib.Tests.TestSupport;

/// <summary>The openssl command line (which CI installs), run on files in a directory.</summary>
public static class OpenSslTool
{
    /// <summary>Runs <c>openssl <paramref name="arguments"/></c> in <paramref name="directory"/>; returns <c>exit N: </c> and its output and errors.</summary>
    public static string Run(string arguments, string directory)
    {
        RequiredPart.Require(File.Exists("/usr/bin/openssl"), "openssl", "apt-get install openssl");
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return $"exit {process.ExitCode}: {output}";
    }
}
