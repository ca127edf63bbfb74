package dev.presence.server.transport;

import dev.presence.server.ops.OpsServices.Readiness;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} and {@code GET /readyz} on the WebSocket port, for load balancers and orchestrators that
 * speak HTTP: liveness is 200 while the process answers; readiness is 200 while the server accepts sessions and
 * 503 while it starts or drains, as the gRPC health service reports it.
 */
final class HealthEndpoints {
  static final String LIVENESS_PATH = "/healthz";
  static final String READINESS_PATH = "/readyz";

  private final Supplier<Readiness> readiness;

  HealthEndpoints(Supplier<Readiness> readiness) {
    this.readiness = readiness;
  }

  /**
   * @param path the request's path
   * @param method the request's method
   * @return the answer, or null when the path is no health endpoint
   */
  HttpAnswer answer(String path, HttpMethod method) {
    if (!path.equals(LIVENESS_PATH) && !path.equals(READINESS_PATH)) {
      return null;
    }
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      return new HttpAnswer(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed; use GET",
          Map.of(HttpHeaderNames.ALLOW.toString(), "GET, HEAD"));
    }
    if (path.equals(LIVENESS_PATH)) {
      return new HttpAnswer(HttpResponseStatus.OK, "alive");
    }
    return switch (readiness.get()) {
      case SERVING -> new HttpAnswer(HttpResponseStatus.OK, "serving");
      case STARTING -> new HttpAnswer(HttpResponseStatus.SERVICE_UNAVAILABLE, "not serving: starting");
      case DRAINING -> new HttpAnswer(HttpResponseStatus.SERVICE_UNAVAILABLE, "not serving: shutting down");
    };
  }
}
