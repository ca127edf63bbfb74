/**
 * Warming the server up before it reports SERVING: a private copy of its transports on loopback carries a
 * burst of presence through the real code paths until the fan-out meets PRS-THR-3's bound. Not an API.
 */
package dev.presence.server.warmup;
