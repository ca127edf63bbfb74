/**
 * Authentication: turns call metadata (or, in the insecure development mode, the {@code open} frame)
 * into the identity a session acts for (PRS-IDN-*).
 */
package dev.presence.server.auth;
