package dev.presence.bench.driver.websocket;

import dev.presence.bench.driver.CursorState;
import dev.presence.bench.driver.Receiver;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One user's connection to a y-websocket document, the user's cursor being its awareness state. Like a Yjs
 * client, each session has a fresh uint32 clientID and a clock that starts at 1; the user's number travels
 * in the state as {@code u}. Deriving the clientID from the user instead would break on any reconnect to the
 * same server: the server keeps a document's clocks forever and ignores clocks that do not increase, and a
 * connection that updates a clientID it did not add never removes that state when it closes.
 */
final class YWebsocketSession extends WebSocketSession implements YProtocol.AwarenessVisitor {
  private static final long UINT32_MASK = 0xffff_ffffL;
  /** Odd, so stepping by it visits all 2^32 clientIDs before one repeats within the process. */
  private static final long CLIENT_ID_STEP = 0x9e37_79b9L;
  private static final AtomicLong clientIdSeed = new AtomicLong(new SplittableRandom().nextLong());

  private final long clientId = clientIdSeed.getAndAdd(CLIENT_ID_STEP) & UINT32_MASK;
  private final StringBuilder json = new StringBuilder(96);
  private final AsciiView jsonView = new AsciiView();
  private final CursorFields fields = new CursorFields();
  private long clock;

  YWebsocketSession(Receiver receiver, WebSocketConnector connector) {
    super(receiver, connector);
  }

  @Override
  public void send(CursorState state) {
    json.setLength(0);
    CursorJson.write(json, state);
    sendBinary(YProtocol.encodeAwareness(clientId, ++clock, json));
  }

  @Override
  void onBinaryMessage(ByteBuffer message) {
    long type = YProtocol.readMessageType(message);
    if (type == YProtocol.MESSAGE_AWARENESS) {
      YProtocol.readAwareness(message, this);
    } else if (type == YProtocol.MESSAGE_SYNC) {
      // The server registers the connection with the document before it writes sync step 1, its first message.
      markReady();
    }
  }

  @Override
  void onTextMessage(CharSequence message) {
    throw new IllegalArgumentException("y-websocket: unexpected text message");
  }

  @Override
  public void onEntry(long entryClientId, long entryClock, ByteBuffer state, int offset, int length) {
    if (YProtocol.isNullState(state, offset, length)) {
      return;
    }
    CursorJson.read(jsonView.reset(state, offset, length), 0, length, fields);
    if (!fields.has(CursorFields.USER)) {
      throw new IllegalArgumentException("y-websocket: awareness state without 'u'");
    }
    receiver.onState(fields.user, fields.seq, fields.sentAtNanos);
  }
}
