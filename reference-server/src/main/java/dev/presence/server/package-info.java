/**
 * The presence.v1 reference server: {@link dev.presence.server.PresenceServer} to embed it,
 * {@link dev.presence.server.Main} to run it from the command line.
 */
package dev.presence.server;
