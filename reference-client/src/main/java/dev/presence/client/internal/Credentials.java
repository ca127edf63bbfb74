package dev.presence.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.presence.client.Token;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The token one session was opened with, when it was obtained, and when it expires if the client can tell: the
 * expiry the application gave, else the {@code exp} claim of a JWT, read from its payload without verifying the
 * signature (the server verifies it; the client only needs to know when to refresh).
 *
 * @param token the token, or null for a client without credentials
 * @param obtainedAtMillis when the supplier returned it
 * @param expiresAt when it expires, or null if unknown
 */
record Credentials(String token, long obtainedAtMillis, Instant expiresAt) {
  /** The earliest a refresh is scheduled after the token was obtained, so a short-lived supplier cannot spin. */
  static final long MIN_REFRESH_DELAY_MILLIS = 1_000;
  private static final long MAX_REFRESH_LEAD_MILLIS = 30_000;

  static Credentials none(long nowMillis) {
    return new Credentials(null, nowMillis, null);
  }

  static Credentials of(Token token, long nowMillis) {
    if (token == null) {
      return none(nowMillis);
    }
    Instant expiry = token.expiresAt().orElseGet(() -> jwtExpiry(token.value()));
    return new Credentials(token.value(), nowMillis, expiry);
  }

  /**
   * The {@code exp} claim of a compact JWT ({@code header.payload.signature}), or null when the token is not one
   * or has no numeric {@code exp}.
   */
  static Instant jwtExpiry(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      Struct.Builder claims = Struct.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(payload, claims);
      Value exp = claims.getFieldsMap().get("exp");
      if (exp == null || exp.getKindCase() != Value.KindCase.NUMBER_VALUE) {
        return null;
      }
      return Instant.ofEpochSecond((long) exp.getNumberValue());
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      return null;
    }
  }

  /**
   * When to open the replacement session (PRS-RCN-6): at {@code expiry - min(30 s, lifetime / 3)}, the lifetime
   * counted from when the token was obtained, but not sooner than {@link #MIN_REFRESH_DELAY_MILLIS} after that.
   *
   * @return milliseconds from {@code nowMillis}, or -1 when the expiry is unknown or already past when obtained
   */
  long refreshDelayMillis(long nowMillis) {
    if (expiresAt == null) {
      return -1;
    }
    long lifetime = expiresAt.toEpochMilli() - obtainedAtMillis;
    if (lifetime <= 0) {
      return -1;
    }
    long refreshAt = expiresAt.toEpochMilli() - Math.min(MAX_REFRESH_LEAD_MILLIS, lifetime / 3);
    return Math.max(refreshAt, obtainedAtMillis + MIN_REFRESH_DELAY_MILLIS) - nowMillis;
  }
}
