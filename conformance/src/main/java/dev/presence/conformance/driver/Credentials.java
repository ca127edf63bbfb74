package dev.presence.conformance.driver;

import dev.presence.protocol.v1.Open;
import io.grpc.Metadata;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
   * Returns a token the server must refuse for a reason the kit cannot forge without the server's signing key, when
   * the operator supplied one.
   */
  default Optional<String> unusableToken(Unusable why) {
    return Optional.empty();
  }

  /** Why a supplied token must be refused, named by its key in a tokens file. */
  enum Unusable {
    /** Its expiry has passed. */
    EXPIRED("expired"),
    /** Its validity has not begun. */
    NOT_YET_VALID("not-yet-valid");

    private final String key;

    Unusable(String key) {
      this.key = key;
    }

    /** Returns the key that names such a token in a tokens file. */
    public String key() {
      return key;
    }
  }

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
    return bearerTokens(tokenFor, Map.of());
  }

  /**
   * Bearer tokens (SPEC.md PRS-TRN-3), one per scenario user, and tokens the server must refuse.
   *
   * @param tokenFor returns the token of a scenario user; called for every session, so tokens may rotate
   * @param unusable tokens that are validly signed but expired or not yet valid, by why they must be refused
   * @return the credentials
   */
  static Credentials bearerTokens(Function<String, String> tokenFor, Map<Unusable, String> unusable) {
    Objects.requireNonNull(tokenFor, "tokenFor");
    Map<Unusable, String> refused = Map.copyOf(unusable);
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

      @Override
      public Optional<String> unusableToken(Unusable why) {
        return Optional.ofNullable(refused.get(why));
      }
    };
  }
}
