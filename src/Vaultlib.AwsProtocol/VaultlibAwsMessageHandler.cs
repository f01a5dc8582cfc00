using System.Net;
using System.Net.Http.Headers;
using Vaultlib.Authorization;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// An <see cref="HttpMessageHandler"/> that answers AWS JSON requests in process, with no socket and no port: give it
/// to an AWS SDK client through its configuration's <c>HttpClientFactory</c> and the client's requests reach
/// Vaultlib's services through <see cref="AwsJsonEndpoint"/>. The Region is the request's SigV4 credential scope's,
/// and the caller the principal its access key id is mapped to in <see cref="AwsCredentials"/>.
/// </summary>
public sealed class VaultlibAwsMessageHandler : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue s_json = new(AwsWire.ContentType);
    private readonly AwsJsonEndpoint _endpoint;
    private readonly AwsCredentials _credentials;
    private readonly TimeProvider _time;

    /// <summary>A handler over <paramref name="endpoint"/>, authenticating with <paramref name="credentials"/>.</summary>
    /// <param name="endpoint">The protocol layer.</param>
    /// <param name="credentials">The access keys and the principals they stand for.</param>
    /// <param name="timeProvider">The clock for the <c>Date</c> header.</param>
    public VaultlibAwsMessageHandler(AwsJsonEndpoint endpoint, AwsCredentials credentials, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credentials);
        _endpoint = endpoint;
        _credentials = credentials;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string? target = request.Headers.TryGetValues("X-Amz-Target", out IEnumerable<string>? targets) ? targets.FirstOrDefault() : null;
        var signed = new AwsSignedRequest(
            request.Method.Method,
            request.RequestUri?.AbsolutePath ?? "/",
            request.RequestUri?.Query.TrimStart('?') ?? string.Empty,
            [.. Headers(request)],
            body);
        AwsJsonResponse answer = await _endpoint.HandleSignedAsync(signed, target, _credentials, _time.GetUtcNow(), connection: null, cancellationToken).ConfigureAwait(false);

        var response = new HttpResponseMessage((HttpStatusCode)answer.StatusCode)
        {
            RequestMessage = request,
            Content = new ReadOnlyMemoryContent(answer.Body),
        };
        response.Content.Headers.ContentType = s_json;
        foreach ((string name, string value) in AwsWire.Headers(answer, _time.GetUtcNow()))
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>The headers as the client sent them, <c>host</c> included (HttpClient adds it from the URI on the wire).</summary>
    private static IEnumerable<(string Name, string Value)> Headers(HttpRequestMessage request)
    {
        if (request.Headers.Host is null && request.RequestUri is { } uri)
        {
            yield return ("host", uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}");
        }

        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers.NonValidated.Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)h.Value)))
        {
            foreach (string value in header.Value)
            {
                yield return (header.Key, value);
            }
        }

        if (request.Content is { } content)
        {
            foreach (KeyValuePair<string, HeaderStringValues> header in content.Headers.NonValidated)
            {
                foreach (string value in header.Value)
                {
                    yield return (header.Key, value);
                }
            }
        }
    }
}
