package dev.presence.server.it;

import dev.presence.protocol.v1.ConnectResponse;
import dev.presence.server.support.Frames;
import dev.presence.server.support.TestSession;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

/**
 * A presence client in its own process: opens a session, sets a state, says READY on standard output and
 * then waits to be killed. Arguments: port, room, user.
 */
public final class ExternalClientMain {
  private ExternalClientMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    TestSession session = TestSession.open(channel, args[1], args[2]);
    session.send(Frames.update(1));
    session.sync();
    System.out.println("READY " + session.opened().getSessionId());
    System.out.flush();
    // Stays connected until the test kills the process; the session must not end any other way.
    ConnectResponse unexpected = session.await("never", f -> false);
    System.out.println("UNEXPECTED " + unexpected);
  }
}
