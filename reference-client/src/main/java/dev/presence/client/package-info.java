/**
 * The Java client of presence.v1: live, ephemeral presence (cursors, selections, typing indicators) shared by
 * the sessions in a room over one bidirectional gRPC stream.
 *
 * <p>Start with {@link dev.presence.client.PresenceClient#builder()}. {@link dev.presence.client.Presence}
 * shares your state and syncs others'; {@link dev.presence.client.Users} lists the room's members and manages
 * follows; {@link dev.presence.client.State} reads a JSON state with typed getters.
 *
 * <p>Threading: every method is thread-safe and none blocks on the network except
 * {@link dev.presence.client.PresenceClient#close()}, which waits briefly for the leave to be delivered.
 * Callbacks run one at a time, in the order the server sent the events, on the callback executor. Do not
 * block in a callback waiting for another callback.
 */
package dev.presence.client;
