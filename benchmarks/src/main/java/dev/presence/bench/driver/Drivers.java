package dev.presence.bench.driver;

import dev.presence.bench.driver.grpc.PresenceDriver;
import dev.presence.bench.driver.grpc.RelayDriver;
import dev.presence.bench.driver.websocket.PresenceWsDriver;
import dev.presence.bench.driver.websocket.SocketIoDriver;
import dev.presence.bench.driver.websocket.YWebsocketDriver;

/** Picks the driver that speaks a system's protocol. */
public final class Drivers {
  private Drivers() {}

  /**
   * @param system the system under test
   * @param host its address
   * @param port its port
   * @return a new driver; the caller closes it
   */
  public static Driver create(SystemUnderTest system, String host, int port) {
    return switch (system) {
      case PRESENCE -> new PresenceDriver(host, port);
      case RELAY_PER_MESSAGE, RELAY_COALESCED -> new RelayDriver(host, port);
      case PRESENCE_WS -> new PresenceWsDriver(host, port);
      case Y_WEBSOCKET -> new YWebsocketDriver(host, port);
      case SOCKET_IO -> new SocketIoDriver(host, port);
    };
  }
}
