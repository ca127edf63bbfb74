package dev.presence.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A listening socket that accepts at the pace of an {@link AcceptPacer}: when the pacer says wait, it stops
 * selecting for accepts and resumes on its event loop once the wait is over, so waiting connections stay in the
 * kernel's listen queue and cost the server nothing meanwhile.
 */
class PacedServerChannel extends NioServerSocketChannel {
  private final AcceptPacer pacer;

  PacedServerChannel(AcceptPacer pacer) {
    this.pacer = pacer;
  }

  @Override
  protected final int doReadMessages(List<Object> buf) throws Exception {
    long waitNanos = pacer.nanosUntilNextAccept();
    if (waitNanos > 0) {
      pauseAccepting(waitNanos);
      return 0;
    }
    SocketChannel accepted = javaChannel().accept();
    if (accepted == null) {
      return 0;
    }
    pacer.accepted();
    try {
      buf.add(newChild(accepted));
      return 1;
    } catch (RuntimeException | IOException e) {
      accepted.close();
      throw e;
    }
  }

  /** @return the channel for an accepted socket */
  protected Channel newChild(SocketChannel accepted) throws IOException {
    return new NioSocketChannel(this, accepted);
  }

  private void pauseAccepting(long waitNanos) {
    config().setAutoRead(false);
    eventLoop().schedule(() -> {
      if (isOpen()) {
        config().setAutoRead(true);
      }
    }, waitNanos, TimeUnit.NANOSECONDS);
  }
}
