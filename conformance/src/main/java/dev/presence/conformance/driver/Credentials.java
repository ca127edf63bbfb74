package dev.presence.conformance.driver;

import dev.presence.protocol.v1.Open;
import io.grpc.Metadata;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the kit authenticates as each of its scenario users ({@code u1}, {@code u2}, …). The server decides the wire
 * user id; the kit learns it from {@code opened.self}.
 */
public interface Credentials {

  /** Returns the call metadata for a scenario user. */
  Metadata headersFor(String user);

  /** Adds whatever the open frame needs for a scenario user, for example a development identity. */
  Open.Builder decorateOpen(String user, Open.Builder open);

  /** Returns whether the server verifies these credentials, as opposed to trusting a claimed identity. */
  boolean verifiedByServer();

  /**
   * Development mode (SPEC.md PRS-IDN-3): claims {@code prefix + user} as the user id in the open frame.
   *
   * @param prefix makes the run's users distinct from other traffic on the server
   * @return the credentials
   */
  static Credentials devIdentity(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return new Credentials() {
      @Override
      public Metadata headersFor(String user) {
        return new Metadata();
      }

      @Override
      public Open.Builder decorateOpen(String user, Open.Builder open) {
        return open.setDevUserId(prefix + user).setDevDisplayName("Conformance " + user);
      }

      @Override
      public boolean verifiedByServer() {
        return false;
      }
    };
  }

  /**
   * Bearer tokens (SPEC.md PRS-TRN-3), one per scenario user.
   *
   * @param tokenFor returns the token of a scenario user; called for every session, so tokens may rotate
   * @return the credentials
   */
  static Credentials bearerTokens(Function<String, String> tokenFor) {
    Objects.requireNonNull(tokenFor, "tokenFor");
    Metadata.Key<String> authorization = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    return new Credentials() {
      @Override
      public Metadata headersFor(String user) {
        Metadata headers = new Metadata();
        headers.put(authorization, "Bearer " + tokenFor.apply(user));
        return headers;
      }

      @Override
      public Open.Builder decorateOpen(String user, Open.Builder open) {
        return open;
      }

      @Override
      public boolean verifiedByServer() {
        return true;
      }
    };
  }
}
