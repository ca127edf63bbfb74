package dev.presence.clientadapter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An in-memory pipe any thread may write to. {@link java.io.PipedInputStream} reports a broken pipe once the
 * thread that last wrote has died, and the adapter writes reports from short-lived client threads.
 */
final class BlockingPipe {
  private static final byte[] END = new byte[0];

  private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();

  /** The writing end; closing it ends the reading end's input. */
  final OutputStream sink = new OutputStream() {
    @Override
    public void write(int b) {
      chunks.add(new byte[] {(byte) b});
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > 0) {
        chunks.add(Arrays.copyOfRange(b, off, off + len));
      }
    }

    @Override
    public void close() {
      end();
    }
  };

  /** Writes {@code bytes} as one chunk, as the writing end does; the caller must not change them afterwards. */
  void write(byte[] bytes) {
    if (bytes.length > 0) {
      chunks.add(bytes);
    }
  }

  /** Ends the reading end's input, as closing the writing end does. */
  void end() {
    chunks.add(END);
  }

  /** The reading end. */
  final InputStream source = new InputStream() {
    private byte[] current = new byte[0];
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (position == current.length) {
        if (ended) {
          return -1;
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        position = 0;
        ended = current == END;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      return n;
    }
  };
}
