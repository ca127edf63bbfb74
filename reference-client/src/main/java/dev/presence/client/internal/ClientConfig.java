package dev.presence.client.internal;

import dev.presence.client.ConnectionListener;
import dev.presence.client.Token;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Validated builder settings. Not part of the API.
 *
 * @param target host:port, or null when {@code channel} is given
 * @param channel a caller-owned channel, or null
 * @param roomId the room
 * @param tokens token supplier, or null for a client without credentials
 * @param devUserId development-mode user id, or null
 * @param devDisplayName development-mode display name
 * @param tls whether to use TLS for target
 * @param trustedCertificates CA file, or null
 * @param callbackExecutor callback executor, or null for an owned one
 * @param clock the clock
 * @param initialBackoff first backoff bound
 * @param maxBackoff largest backoff bound
 * @param connectionListener initial connection listener, or null
 * @param clientAgent client agent string
 */
public record ClientConfig(
    String target,
    Channel channel,
    String roomId,
    Supplier<Token> tokens,
    String devUserId,
    String devDisplayName,
    boolean tls,
    Path trustedCertificates,
    Executor callbackExecutor,
    Clock clock,
    Duration initialBackoff,
    Duration maxBackoff,
    ConnectionListener connectionListener,
    String clientAgent) {}
