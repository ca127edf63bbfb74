package dev.presence.clientadapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Connect;
import dev.presence.conformance.adapter.v1.Report;
import dev.presence.conformance.adapter.v1.Result;
import dev.presence.server.PresenceServer;
import dev.presence.server.config.ServerConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The seam faulty variants are built on: interceptors see the client's calls, the filter sees every report. */
class AdapterOptionsTest {

  @Test
  void interceptorsSeeTheClientsCallsAndTheFilterRewritesReports() throws Exception {
    Set<String> methods = ConcurrentHashMap.newKeySet();
    ClientInterceptor recorder = new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        methods.add(method.getFullMethodName());
        return next.newCall(method, options);
      }
    };
    // Drops every connection report, as a variant that never tells the application about its connection would.
    AdapterOptions options = AdapterOptions.defaults()
        .withInterceptors(recorder)
        .withReports(r -> r.hasConnection() ? List.of() : List.of(r));

    PresenceServer server =
        PresenceServer.builder(ServerConfig.builder().host("127.0.0.1").port(0).build()).build().start();
    try (AdapterHarness adapter = AdapterHarness.startInProcess(options)) {
      Result connected = adapter.call(Command.newBuilder().setConnect(Connect.newBuilder()
          .setTarget("127.0.0.1:" + server.port())
          .setRoomId("seam")
          .addTokens(ClientSession.DEV_TOKEN_PREFIX + "variant")));

      assertThat(connected.hasFailure()).isFalse();
      assertThat(methods).containsExactly("presence.v1.PresenceService/Connect");
      assertThat(adapter.endInput()).isZero();
      assertThat(adapter.reports()).noneMatch(Report::hasConnection).anyMatch(Report::hasHello);
    } finally {
      server.shutdown(Duration.ofSeconds(5));
    }
  }
}
