package dev.presence.conformance.selftest;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries a client call's {@code authorization} header through {@link FaultyProxy} to the upstream server, so that
 * a server verifying tokens sees the kit's credentials, or credentials a fault put in their place.
 */
final class ForwardedCredentials {

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALL_AUTHORIZATION = Context.key("faulty-proxy-authorization");
  private static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"\\\\]*)\"");

  private ForwardedCredentials() {}

  /** Returns the interceptor that keeps each incoming call's authorization for {@link #onto}. */
  static ServerInterceptor capture() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        String authorization = headers.get(AUTHORIZATION);
        Context context = authorization == null ? Context.current()
            : Context.current().withValue(CALL_AUTHORIZATION, authorization);
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
  }

  /** Returns the stub sending the current incoming call's authorization, changed by {@code change}, upstream. */
  static <S extends AbstractStub<S>> S onto(S stub, UnaryOperator<String> change) {
    String authorization = CALL_AUTHORIZATION.get();
    if (authorization == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, change.apply(authorization));
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /**
   * Returns a change that reads the {@code sub} of a bearer JWT without verifying anything and replaces the token
   * with a valid one for that subject, as a server that trusts unverified claims would behave.
   *
   * @param mint returns a valid token for a subject
   */
  static UnaryOperator<String> trustingClaims(UnaryOperator<String> mint) {
    return authorization -> {
      String[] parts = authorization.replaceFirst("^Bearer ", "").split("\\.");
      if (parts.length < 2) {
        return authorization;
      }
      try {
        Matcher m = SUBJECT.matcher(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        return m.find() ? "Bearer " + mint.apply(m.group(1)) : authorization;
      } catch (IllegalArgumentException notBase64) {
        return authorization;
      }
    };
  }
}
