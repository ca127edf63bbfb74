package dev.presence.bench.driver;

import dev.presence.bench.driver.grpc.PresenceDriver;
import dev.presence.bench.driver.grpc.RelayDriver;
import dev.presence.bench.driver.websocket.PresenceWsDriver;
import dev.presence.bench.driver.websocket.SocketIoDriver;
import dev.presence.bench.driver.websocket.YWebsocketDriver;
import java.util.ArrayList;
import java.util.List;

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
      case PRESENCE, PRESENCE_CLUSTER -> new PresenceDriver(host, port);
      case RELAY_PER_MESSAGE, RELAY_COALESCED -> new RelayDriver(host, port);
      case PRESENCE_WS -> new PresenceWsDriver(host, port);
      case Y_WEBSOCKET -> new YWebsocketDriver(host, port);
      case SOCKET_IO -> new SocketIoDriver(host, port);
    };
  }

  /**
   * @param system the system under test
   * @param host the address of every node
   * @param ports one port per node; sessions spread over them by {@link MultiNodeDriver#nodeOf}
   * @return a new driver; the caller closes it
   */
  public static Driver create(SystemUnderTest system, String host, List<Integer> ports) {
    if (ports.size() == 1) {
      return create(system, host, ports.get(0));
    }
    List<Driver> nodes = new ArrayList<>();
    for (int port : ports) {
      nodes.add(create(system, host, port));
    }
    return new MultiNodeDriver(nodes);
  }
}
