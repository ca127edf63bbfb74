package dev.presence.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRS-LIM-2 bounds are checked once, at build time. */
class ServerConfigTest {
  @Test
  @DisplayName("PRS-LIM-2: the defaults are the spec's defaults")
  void defaults() {
    ServerConfig c = ServerConfig.builder().build();
    assertThat(c.port()).isEqualTo(50051);
    assertThat(c.authMode()).isEqualTo(AuthMode.NONE);
    assertThat(c.throttleWindowMillis()).isEqualTo(50);
    assertThat(c.maxStateBytes()).isEqualTo(8192);
    assertThat(c.maxSubscriptions()).isEqualTo(16);
    assertThat(c.maxFollows()).isEqualTo(256);
    assertThat(c.maxInboundFrameBytes()).isEqualTo(65536);
    assertThat(c.maxSessionsPerUser()).isEqualTo(16);
    assertThat(c.leaveDetectionMillis()).isEqualTo(10000);
    assertThat(c.openTimeoutMillis()).isEqualTo(10000);
  }

  @Test
  @DisplayName("Without a host, auth none binds loopback and other modes every interface; a given host is kept")
  void hostDefaultFollowsAuthMode() {
    ServerConfig none = ServerConfig.builder().build();
    assertThat(none.host()).isEqualTo(ServerConfig.LOOPBACK_HOST);
    assertThat(none.loopbackByDefault()).isTrue();
    ServerConfig jwt = ServerConfig.builder().authMode(AuthMode.JWT).jwtSecret("0123456789abcdef0123456789abcdef")
        .build();
    assertThat(jwt.host()).isEmpty();
    assertThat(jwt.loopbackByDefault()).isFalse();
    ServerConfig wildcard = ServerConfig.builder().host("0.0.0.0").build();
    assertThat(wildcard.host()).isEqualTo("0.0.0.0");
    assertThat(wildcard.loopbackByDefault()).isFalse();
    // A copy switched to another mode gets that mode's default, not the loopback chosen for none.
    assertThat(none.toBuilder().authMode(AuthMode.JWT).jwtSecret("0123456789abcdef0123456789abcdef").build().host())
        .isEmpty();
  }

  @Test
  @DisplayName("PRS-LIM-2: each bound is enforced with a message naming the setting")
  void bounds() {
    assertThatThrownBy(() -> ServerConfig.builder().throttleWindowMillis(15).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("throttleWindowMillis");
    assertThatThrownBy(() -> ServerConfig.builder().throttleWindowMillis(1001).build())
        .hasMessageContaining("throttleWindowMillis");
    assertThatThrownBy(() -> ServerConfig.builder().maxStateBytes(1023).build()).hasMessageContaining("maxStateBytes");
    assertThatThrownBy(() -> ServerConfig.builder().maxSubscriptions(3).build()).hasMessageContaining("maxSubscriptions");
    assertThatThrownBy(() -> ServerConfig.builder().maxFollows(15).build()).hasMessageContaining("maxFollows");
    assertThatThrownBy(() -> ServerConfig.builder().maxStateBytes(8192).maxInboundFrameBytes(9215).build())
        .hasMessageContaining("maxInboundFrameBytes");
    assertThatThrownBy(() -> ServerConfig.builder().maxSessionsPerRoom(1).build())
        .hasMessageContaining("maxSessionsPerRoom");
    assertThatThrownBy(() -> ServerConfig.builder().leaveDetectionMillis(10001).build())
        .hasMessageContaining("leaveDetectionMillis");
    assertThatThrownBy(() -> ServerConfig.builder().pingIntervalMillis(10000).build())
        .hasMessageContaining("pingIntervalMillis");
    assertThatThrownBy(() -> ServerConfig.builder().port(70000).build()).hasMessageContaining("port");
    assertThat(ServerConfig.builder().maxStateBytes(8192).maxInboundFrameBytes(9216).build().maxInboundFrameBytes())
        .isEqualTo(9216);
  }

  @Test
  @DisplayName("PRS-LIM-4: max_state_depth defaults to 32 and is at least 8; max_outbound_frame_bytes defaults to 262144")
  void draft2Limits() {
    ServerConfig c = ServerConfig.builder().build();
    assertThat(c.maxStateDepth()).isEqualTo(32);
    assertThat(c.maxOutboundFrameBytes()).isEqualTo(262_144);
    assertThat(ServerConfig.builder().maxStateDepth(8).build().maxStateDepth()).isEqualTo(8);
    assertThatThrownBy(() -> ServerConfig.builder().maxStateDepth(7).build()).hasMessageContaining("maxStateDepth");
    assertThatThrownBy(() -> ServerConfig.builder().maxStateDepth(33).build()).hasMessageContaining("maxStateDepth");
    assertThat(c.toBuilder().build().maxStateDepth()).isEqualTo(32);
  }

  @Test
  @DisplayName("PRS-LIM-4: max_outbound_frame_bytes lies in max(65536, max_state_bytes + 68 x max_subscriptions + 1024)..4194304")
  void outboundFrameBounds() {
    assertThat(ServerConfig.builder().maxOutboundFrameBytes(65_536).build().maxOutboundFrameBytes()).isEqualTo(65_536);
    assertThatThrownBy(() -> ServerConfig.builder().maxOutboundFrameBytes(65_535).build())
        .hasMessageContaining("maxOutboundFrameBytes");
    assertThat(ServerConfig.builder().maxOutboundFrameBytes(4_194_304).build().maxOutboundFrameBytes())
        .isEqualTo(4_194_304);
    assertThatThrownBy(() -> ServerConfig.builder().maxOutboundFrameBytes(4_194_305).build())
        .hasMessageContaining("maxOutboundFrameBytes");
    // 100000 + 68 x 100 + 1024 = 107824
    ServerConfig.Builder big = ServerConfig.builder().maxStateBytes(100_000).maxInboundFrameBytes(200_000)
        .maxSubscriptions(100);
    assertThatThrownBy(() -> big.maxOutboundFrameBytes(107_823).build()).hasMessageContaining("107824");
    assertThat(big.maxOutboundFrameBytes(107_824).build().maxOutboundFrameBytes()).isEqualTo(107_824);
  }

  @Test
  @DisplayName("PRS-LIV-6: an unset ping interval is half of leave detection; a set one must stay below it")
  void pingIntervalFollowsLeaveDetection() {
    assertThat(ServerConfig.builder().build().pingIntervalMillis()).isEqualTo(5000);
    assertThat(ServerConfig.builder().leaveDetectionMillis(2000).build().pingIntervalMillis()).isEqualTo(1000);
    assertThat(ServerConfig.builder().leaveDetectionMillis(100).build().pingIntervalMillis()).isEqualTo(50);
    assertThat(ServerConfig.builder().pingIntervalMillis(300).leaveDetectionMillis(2000).build().pingIntervalMillis())
        .isEqualTo(300);
    assertThat(ServerConfig.builder().pingIntervalMillis(0).leaveDetectionMillis(100).build().pingIntervalMillis())
        .isZero();
    // A copy keeps a derived interval derived and a set one set.
    assertThat(ServerConfig.builder().build().toBuilder().leaveDetectionMillis(3000).build().pingIntervalMillis())
        .isEqualTo(1500);
    assertThat(ServerConfig.builder().pingIntervalMillis(700).build().toBuilder().leaveDetectionMillis(3000).build()
        .pingIntervalMillis()).isEqualTo(700);
    assertThatThrownBy(() -> ServerConfig.builder().pingIntervalMillis(5000).leaveDetectionMillis(2000).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pingIntervalMillis=5000").hasMessageContaining("leaveDetectionMillis=2000");
    assertThatThrownBy(() -> ServerConfig.builder().pingIntervalMillis(-1).build())
        .hasMessageContaining("pingIntervalMillis=-1");
  }

  @Test
  @DisplayName("PRS-WS-17: the WebSocket handshake deadline defaults to 10 s, and no setting may exceed it")
  void webSocketDefaults() {
    ServerConfig c = ServerConfig.builder().build();
    assertThat(c.wsHandshakeTimeoutMillis()).isEqualTo(10_000);
    assertThat(c.wsPort()).isZero();
    assertThat(c.wsEnabled()).isFalse();
    assertThat(c.wsAllowedOrigins()).isSameAs(AllowedOrigins.sameOrigin());
    assertThatThrownBy(() -> ServerConfig.builder().wsHandshakeTimeoutMillis(10_001).build())
        .hasMessageContaining("wsHandshakeTimeoutMillis");
    assertThat(ServerConfig.builder().wsHandshakeTimeoutMillis(500).build().toBuilder().build()
        .wsHandshakeTimeoutMillis()).isEqualTo(500);
  }

  @Test
  @DisplayName("Optional endpoints: 0 is off, -1 any free port; fixed ports must differ")
  void optionalPorts() {
    ServerConfig any = ServerConfig.builder().wsPort(ServerConfig.ANY_FREE_PORT)
        .metricsPort(ServerConfig.ANY_FREE_PORT).build();
    assertThat(any.wsEnabled()).isTrue();
    assertThat(any.toString()).contains("wsPort=any").contains("metricsPort=any");
    assertThat(ServerConfig.builder().build().toString()).contains("wsPort=off");
    assertThatThrownBy(() -> ServerConfig.builder().wsPort(-2).build()).hasMessageContaining("wsPort");
    assertThatThrownBy(() -> ServerConfig.builder().port(7000).wsPort(7000).build())
        .hasMessageContaining("wsPort=7000 must differ from port");
    assertThatThrownBy(() -> ServerConfig.builder().metricsPort(7001).wsPort(7001).build())
        .hasMessageContaining("wsPort=7001 must differ from metricsPort");
  }

  @Test
  @DisplayName("demo is off by default; on, it needs the WebSocket port and turns it on at the default port if it was off")
  void demo() {
    assertThat(ServerConfig.builder().build().demo()).isFalse();
    ServerConfig on = ServerConfig.builder().demo(true).build();
    assertThat(on.demo()).isTrue();
    assertThat(on.wsPort()).isEqualTo(ServerConfig.DEFAULT_WS_PORT);
    assertThat(on.toString()).contains("demo=on").contains("wsPort=8080");
    assertThat(ServerConfig.builder().demo(true).wsPort(ServerConfig.ANY_FREE_PORT).build().wsPort())
        .isEqualTo(ServerConfig.ANY_FREE_PORT);
    assertThat(on.toBuilder().build().demo()).isTrue();
    assertThatThrownBy(() -> ServerConfig.builder().demo(true).port(8080).build())
        .hasMessageContaining("wsPort=8080 must differ from port");
  }
}
