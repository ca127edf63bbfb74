package dev.presence.bench.driver.websocket;

/**
 * What went wrong across a WebSocket driver's sessions so far. A benchmark run reports these next to its
 * results: a non-zero count means some deliveries were not measured.
 *
 * @param malformedMessages messages from the server that did not decode, ignored
 * @param droppedSends states not sent because the session already had too many waiting for the socket
 * @param closedByServer sessions the server closed or disconnected
 * @param transportErrors sessions that failed to connect or whose connection failed
 * @param receiverErrors exceptions thrown by a {@link dev.presence.bench.driver.Receiver}, swallowed
 */
public record DriverFaults(
    long malformedMessages, long droppedSends, long closedByServer, long transportErrors, long receiverErrors) {}
