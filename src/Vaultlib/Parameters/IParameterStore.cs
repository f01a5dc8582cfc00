namespace Vaultlib.Parameters;

/// <summary>
/// AWS Systems Manager Parameter Store: the same operations, members, limits and errors as AWS's API
/// reference. Implemented by <see cref="ParameterStore"/> (<see cref="InMemoryParameterStore"/>,
/// <see cref="VaultParameterStore"/>), and usable as a fake for code written against SSM.
/// </summary>
public interface IParameterStore
{
    /// <summary>Creates a parameter, or with <c>Overwrite</c> adds a version; a SecureString is encrypted through KMS as the caller.</summary>
    /// <exception cref="ParameterAlreadyExistsException">A parameter of the name exists and <c>Overwrite</c> is not set.</exception>
    /// <exception cref="InvalidKeyIdException">The KMS key of a SecureString is not usable.</exception>
    /// <exception cref="AccessDeniedException">The caller may not put the parameter, or KMS refused to encrypt for it.</exception>
    Task<PutParameterResponse> PutParameterAsync(PutParameterRequest request, CancellationToken cancellationToken = default);

    /// <summary>One parameter: the latest version, or the one a <c>name:3</c> or <c>name:label</c> selector names.</summary>
    /// <exception cref="ParameterNotFoundException">No parameter has the name.</exception>
    /// <exception cref="ParameterVersionNotFoundException">The selected version or label does not exist.</exception>
    Task<GetParameterResponse> GetParameterAsync(GetParameterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Up to 10 parameters; names that find nothing come back in <c>InvalidParameters</c>.</summary>
    Task<GetParametersResponse> GetParametersAsync(GetParametersRequest request, CancellationToken cancellationToken = default);

    /// <summary>The parameters under a path (one level, or recursive), at most 10 a page.</summary>
    Task<GetParametersByPathResponse> GetParametersByPathAsync(GetParametersByPathRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every kept version of a parameter.</summary>
    Task<GetParameterHistoryResponse> GetParameterHistoryAsync(GetParameterHistoryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Parameters' metadata (never values), filtered.</summary>
    Task<DescribeParametersResponse> DescribeParametersAsync(DescribeParametersRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a parameter and every version.</summary>
    /// <exception cref="ParameterNotFoundException">No parameter has the name.</exception>
    Task<DeleteParameterResponse> DeleteParameterAsync(DeleteParameterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes up to 10 parameters.</summary>
    Task<DeleteParametersResponse> DeleteParametersAsync(DeleteParametersRequest request, CancellationToken cancellationToken = default);

    /// <summary>Attaches labels to a version; a label on another version moves.</summary>
    /// <exception cref="ParameterVersionLabelLimitExceededException">The version would have more than 10 labels.</exception>
    Task<LabelParameterVersionResponse> LabelParameterVersionAsync(LabelParameterVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes labels from a version.</summary>
    Task<UnlabelParameterVersionResponse> UnlabelParameterVersionAsync(UnlabelParameterVersionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces a parameter's tags.</summary>
    Task<AddTagsToResourceResponse> AddTagsToResourceAsync(AddTagsToResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes a parameter's tags.</summary>
    Task<RemoveTagsFromResourceResponse> RemoveTagsFromResourceAsync(RemoveTagsFromResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>A parameter's tags.</summary>
    Task<ListTagsForResourceResponse> ListTagsForResourceAsync(ListTagsForResourceRequest request, CancellationToken cancellationToken = default);
}
