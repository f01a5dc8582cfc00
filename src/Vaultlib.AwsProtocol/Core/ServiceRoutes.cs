using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// One AWS service as the protocol routes it: its target prefix (<c>TrentService</c>, <c>AmazonSSM</c>…), how to get
/// the Region's service from the host, and its operations, found once by reflection on the service's interface: each
/// <c>&lt;Operation&gt;Async(&lt;Operation&gt;Request, CancellationToken)</c> is the operation AWS names
/// <c>&lt;Operation&gt;</c>. There is no per-operation code here: the request and response records carry AWS's shapes.
/// </summary>
internal sealed class ServiceRoutes
{
    private readonly FrozenDictionary<string, Route> _operations;

    private ServiceRoutes(string targetPrefix, string signingName, Type serviceInterface, Func<VaultlibHost, string, object> resolve)
    {
        TargetPrefix = targetPrefix;
        SigningName = signingName;
        Resolve = resolve;
        _operations = serviceInterface.GetMethods()
            .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal) && m.GetParameters() is [var request, var token] && token.ParameterType == typeof(CancellationToken)
                && request.ParameterType.Name == m.Name[..^"Async".Length] + "Request" && m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            .ToFrozenDictionary(m => m.Name[..^"Async".Length], m => new Route(m), StringComparer.Ordinal);
    }

    /// <summary>The prefix of <c>X-Amz-Target</c> before the dot.</summary>
    public string TargetPrefix { get; }

    /// <summary>The service's name in SigV4 credential scopes (<c>kms</c>, <c>ssm</c>…).</summary>
    public string SigningName { get; }

    /// <summary>The Region's service.</summary>
    public Func<VaultlibHost, string, object> Resolve { get; }

    /// <summary>Every operation's AWS name.</summary>
    public IEnumerable<string> OperationNames => _operations.Keys;

    public Route? Find(string operation) => _operations.GetValueOrDefault(operation);

    /// <summary>The five services, by target prefix.</summary>
    public static FrozenDictionary<string, ServiceRoutes> All { get; } = new ServiceRoutes[]
    {
        new("TrentService", "kms", typeof(Keys.IKeyService), (host, region) => host.GetKeyService(region)),
        new("AmazonSSM", "ssm", typeof(Parameters.IParameterStore), (host, region) => host.GetParameterStore(region)),
        new("secretsmanager", "secretsmanager", typeof(Secrets.ISecretStore), (host, region) => host.GetSecretStore(region)),
        new("CertificateManager", "acm", typeof(Certificates.Acm.ICertificateManager), (host, region) => host.GetCertificateManager(region)),
        new("ACMPrivateCA", "acm-pca", typeof(Certificates.ICertificateAuthority), (host, region) => host.GetCertificateAuthority(region)),
    }.ToFrozenDictionary(s => s.TargetPrefix, StringComparer.Ordinal);

    /// <summary>One operation: its request type, and a call of the service's method that returns the response boxed.</summary>
    internal sealed class Route
    {
        private readonly Func<object, object, CancellationToken, Task<object?>> _invoke;

        public Route(MethodInfo method)
        {
            RequestType = method.GetParameters()[0].ParameterType;
            Type responseType = method.ReturnType.GetGenericArguments()[0];
            _invoke = (Func<object, object, CancellationToken, Task<object?>>)typeof(Route).GetMethod(nameof(Bind), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(method.DeclaringType!, RequestType, responseType)
                .Invoke(null, [method])!;
        }

        public Type RequestType { get; }

        /// <summary>Reads the request (an empty body is an empty object, as AWS takes it).</summary>
        public object Read(ReadOnlySpan<byte> body) =>
            (body.IsEmpty ? JsonSerializer.Deserialize("{}"u8, RequestType, AwsJson.Options) : JsonSerializer.Deserialize(body, RequestType, AwsJson.Options))
            ?? throw new JsonException("The request is null.");

        public Task<object?> InvokeAsync(object service, object request, CancellationToken cancellationToken) => _invoke(service, request, cancellationToken);

        /// <summary>A typed open delegate over the interface method (virtual dispatch, no reflection per call), boxed at the edges.</summary>
        private static Func<object, object, CancellationToken, Task<object?>> Bind<TService, TRequest, TResponse>(MethodInfo method)
        {
            var call = method.CreateDelegate<Func<TService, TRequest, CancellationToken, Task<TResponse>>>();
            return async (service, request, cancellationToken) => await call((TService)service, (TRequest)request, cancellationToken).ConfigureAwait(false);
        }
    }
}
