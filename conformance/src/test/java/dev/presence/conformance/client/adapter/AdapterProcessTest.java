package dev.presence.conformance.client.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.adapter.v1.Report;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kit drives any {@link Process} a launcher hands it, not only one the operating system started. */
class AdapterProcessTest {

  @Test
  void anAdapterOfTheLaunchersOwnMakingSaysHelloAndIsDestroyedWhenItWillNotExit() throws Exception {
    StubbornAdapter stubborn = new StubbornAdapter(framed(Report.newBuilder()
        .setHello(Hello.newBuilder().setSdk("stub").setLanguage("none")).build()));

    AdapterProcess adapter = AdapterProcess.start(() -> stubborn, Duration.ofSeconds(5));
    assertThat(adapter.hello().getSdk()).isEqualTo("stub");
    adapter.close();

    assertThat(stubborn.destroyed).as("destroyed, though it has no process handle").isTrue();
  }

  @Test
  void aLauncherThatCannotStartIsReportedAsSuch() {
    assertThatThrownBy(() -> AdapterProcess.start(() -> {
      throw new IOException("no such SDK");
    }, Duration.ofSeconds(1)))
        .isInstanceOf(AdapterException.class).hasMessage("cannot start the adapter: no such SDK");
  }

  @Test
  void anEmptyCommandIsRefused() {
    assertThatThrownBy(() -> AdapterLauncher.command(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the adapter command is empty");
  }

  private static byte[] framed(Report report) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Framing.write(new DataOutputStream(bytes), report);
    return bytes.toByteArray();
  }

  /** Says hello, then never exits until destroyed; like any non-OS process, it has no {@link #toHandle()}. */
  private static final class StubbornAdapter extends Process {
    private final InputStream stdout;
    private volatile boolean destroyed;

    StubbornAdapter(byte[] stdout) {
      this.stdout = new ByteArrayInputStream(stdout);
    }

    @Override
    public OutputStream getOutputStream() {
      return OutputStream.nullOutputStream();
    }

    @Override
    public InputStream getInputStream() {
      return stdout;
    }

    @Override
    public InputStream getErrorStream() {
      return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() {
      throw new UnsupportedOperationException("the kit waits with a timeout");
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) {
      return destroyed;
    }

    @Override
    public int exitValue() {
      if (!destroyed) {
        throw new IllegalThreadStateException("running");
      }
      return 137;
    }

    @Override
    public void destroy() {
      destroyed = true;
    }
  }
}
