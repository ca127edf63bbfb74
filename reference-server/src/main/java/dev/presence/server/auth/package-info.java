/**
 * Authentication: turns the credentials a call presented, on either binding (or, in the insecure development
 * mode, the {@code open} frame), into the identity a session acts for (PRS-IDN-*).
 */
package dev.presence.server.auth;
