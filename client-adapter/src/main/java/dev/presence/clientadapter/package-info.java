/**
 * The Java client's adapter for the conformance kit's client mode: {@link dev.presence.clientadapter.JavaClientAdapter}
 * turns the kit's framed Commands into calls on {@code dev.presence.client.PresenceClient} and what the client
 * delivers into framed Reports.
 */
package dev.presence.clientadapter;
