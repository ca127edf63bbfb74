package dev.presence.server.ops;

import dev.presence.protocol.v1.PresenceServiceGrpc;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.List;

/**
 * {@code grpc.health.v1.Health} (overall and for {@code presence.v1.PresenceService}) and server
 * reflection v1, and the same readiness for the WebSocket port's {@code /readyz}. Health turns NOT_SERVING for
 * good when a drain or shutdown begins, so load balancers stop sending new sessions before the server refuses them.
 */
public final class OpsServices {
  /** Where the server is in its life, as health checks report it. */
  public enum Readiness {
    /** Not accepting sessions yet. */
    STARTING,
    /** Accepting sessions. */
    SERVING,
    /** Draining (still serving, clients moving elsewhere) or shutting down: NOT_SERVING either way. */
    DRAINING
  }

  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Readiness readiness = Readiness.STARTING;

  /** Starts NOT_SERVING until {@link #serving()}. */
  public OpsServices() {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    health.setStatus(PresenceServiceGrpc.SERVICE_NAME, ServingStatus.NOT_SERVING);
  }

  /** @return the services to bind */
  public List<BindableService> services() {
    return List.of(health.getHealthService(), ProtoReflectionServiceV1.newInstance());
  }

  /** Marks the server SERVING once it accepts sessions. */
  public void serving() {
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    health.setStatus(PresenceServiceGrpc.SERVICE_NAME, ServingStatus.SERVING);
    readiness = Readiness.SERVING;
  }

  /** Marks every service NOT_SERVING, permanently; a drain does so before the shutdown, which repeats it. */
  public synchronized void shuttingDown() {
    if (readiness == Readiness.DRAINING) {
      return;
    }
    readiness = Readiness.DRAINING;
    health.enterTerminalState();
  }

  /** @return the readiness both health checks report; SERVING exactly when gRPC health says SERVING */
  public Readiness readiness() {
    return readiness;
  }
}
