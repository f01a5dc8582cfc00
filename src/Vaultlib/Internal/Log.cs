using Microsoft.Extensions.Logging;

namespace Vaultlib.Internal;

/// <summary>
/// Every log message Vaultlib writes, with stable event ids. Messages carry operation names,
/// resource ARNs and error codes only: never plaintexts, key material or request bodies.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "{Service} {Operation} succeeded on {Resource}.", EventName = "OperationSucceeded")]
    public static partial void OperationSucceeded(ILogger logger, string service, string operation, string resource);

    [LoggerMessage(1001, LogLevel.Information, "{Service} {Operation} failed on {Resource} with {ErrorCode}.", EventName = "OperationFailed")]
    public static partial void OperationFailed(ILogger logger, string service, string operation, string resource, string errorCode);

    [LoggerMessage(1100, LogLevel.Information, "Rotated key {KeyArn} ({RotationType}) to material version {Version}.", EventName = "KeyRotated")]
    public static partial void KeyRotated(ILogger logger, string keyArn, string rotationType, int version);

    [LoggerMessage(1101, LogLevel.Information, "Deleted key {KeyArn}: its deletion window ended at {DeletionDate:O}.", EventName = "KeyPurged")]
    public static partial void KeyPurged(ILogger logger, string keyArn, DateTimeOffset deletionDate);

    [LoggerMessage(1102, LogLevel.Information, "Created AWS managed key {KeyArn} for alias/aws/{Service}.", EventName = "AwsManagedKeyCreated")]
    public static partial void AwsManagedKeyCreated(ILogger logger, string keyArn, string service);

    [LoggerMessage(1103, LogLevel.Information, "Deleted the imported key material of {KeyArn}: it expired at {ValidTo:O}.", EventName = "ImportedMaterialExpired")]
    public static partial void ImportedMaterialExpired(ILogger logger, string keyArn, DateTimeOffset validTo);

    [LoggerMessage(1104, LogLevel.Warning, "Bringing the replicas of multi-Region key {KeyId} up to date failed ({ExceptionType}); the next change of the primary key tries again.", EventName = "ReplicaSyncFailed")]
    public static partial void ReplicaSyncFailed(ILogger logger, string keyId, string exceptionType);

    [LoggerMessage(1105, LogLevel.Warning, "A subscriber to {Service} events failed on a {DetailType} event ({ExceptionType}); the other subscribers and later events were not affected.", EventName = "SubscriberFailed")]
    public static partial void SubscriberFailed(ILogger logger, string service, string detailType, string exceptionType);

    [LoggerMessage(1400, LogLevel.Error, "Scheduled work {Work} failed ({ExceptionType}); it will be tried again.", EventName = "ScheduledWorkFailed")]
    public static partial void ScheduledWorkFailed(ILogger logger, string work, string exceptionType);

    [LoggerMessage(1201, LogLevel.Warning, "Following the change feed of {Service} failed ({ExceptionType}); retrying in a second.", EventName = "ChangeFeedFailed")]
    public static partial void ChangeFeedFailed(ILogger logger, string service, string exceptionType);

    [LoggerMessage(1300, LogLevel.Error, "An audit sink failed to record {Service} {Operation} ({ExceptionType}); the call itself was not affected.", EventName = "AuditSinkFailed")]
    public static partial void AuditSinkFailed(ILogger logger, string service, string operation, string exceptionType);

    [LoggerMessage(1200, LogLevel.Information, "Opened key store at {Directory} with {KeyCount} keys and {AliasCount} aliases.", EventName = "KeyStoreOpened")]
    public static partial void KeyStoreOpened(ILogger logger, string directory, int keyCount, int aliasCount);

    [LoggerMessage(1500, LogLevel.Warning, "Rotating secret {SecretArn} failed at the {Step} step ({ExceptionType}); the rotation stays pending and is tried again.", EventName = "RotationFailed")]
    public static partial void RotationFailed(ILogger logger, string secretArn, string step, string exceptionType);
}
