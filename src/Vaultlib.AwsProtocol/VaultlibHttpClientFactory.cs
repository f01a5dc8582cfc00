using Amazon.Runtime;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// The AWS SDK for .NET's <see cref="HttpClientFactory"/> that sends a client's requests to Vaultlib in process: set it
/// as a client configuration's <c>HttpClientFactory</c> (any AWS SDK client whose service Vaultlib serves).
/// </summary>
/// <param name="handler">The in-process handler.</param>
public sealed class VaultlibHttpClientFactory(VaultlibAwsMessageHandler handler) : HttpClientFactory
{
    /// <inheritdoc/>
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

    /// <summary>One client per configuration is enough: the handler has no connection to pool.</summary>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    /// <summary>The handler needs no disposal per client.</summary>
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
