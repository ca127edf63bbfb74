package dev.presence.clientadapter;

import dev.presence.client.PresenceClient;
import dev.presence.conformance.adapter.v1.Command;
import dev.presence.conformance.adapter.v1.Hello;
import dev.presence.conformance.adapter.v1.Report;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java client's adapter for the conformance kit's client mode: the kit starts it, sends it Commands on stdin
 * and reads Reports from stdout, both framed as a 4-byte unsigned big-endian length followed by the protobuf
 * encoding ({@code presence/conformance/v1/client_adapter.proto}). Each Command becomes the matching call on a
 * {@link PresenceClient}; each callback the client delivers becomes a Report, in the client's order. Logs go to
 * stderr only. The adapter exits with status 0 once stdin ends and the client is closed.
 *
 * <p>For testing against a development server (auth mode {@code none}, which trusts a claimed identity): when the
 * first token of a Connect is {@code dev:<user id>}, the adapter claims that user with
 * {@link PresenceClient.Builder#devIdentity} (display name = user id) instead of sending it as a bearer token;
 * the tokens after it, if any, feed the token source as usual.
 */
public final class JavaClientAdapter {
  private final Logger log = LoggerFactory.getLogger(JavaClientAdapter.class);
  private final ReportWriter out;
  private final CommandDispatcher dispatcher;

  JavaClientAdapter(AdapterOptions options, OutputStream reports) {
    this.out = new ReportWriter(reports, options.reports());
    this.dispatcher = new CommandDispatcher(options, out);
  }

  /**
   * Runs the adapter on this process's standard streams.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    runProcess(AdapterOptions.defaults());
  }

  /**
   * Runs an adapter with {@code options} as this process, then exits: the entry point of faulty variants too.
   * stdout is taken for the reports before anything can log, and {@code System.out} is pointed at stderr, so that
   * no library's stray print can corrupt the frames.
   */
  static void runProcess(AdapterOptions options) {
    OutputStream reports = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
    System.setOut(System.err);
    int status = new JavaClientAdapter(options, reports).run(System.in);
    // The client's threads are daemons, but a channel or executor of a faulty variant may not be.
    System.exit(status);
  }

  /**
   * Says hello, carries out commands until {@code commands} ends, then closes the client.
   *
   * @return the exit status: 0 after a clean end of input, 2 if the input was not a sequence of Commands
   */
  int run(InputStream commands) {
    out.write(Report.newBuilder().setHello(Hello.newBuilder()
        .setSdk("presence-client")
        .setVersion(clientVersion())
        .setLanguage("Java")).build());
    FrameReader reader = new FrameReader(commands);
    int status = 0;
    try {
      for (Command command = reader.next(); command != null; command = reader.next()) {
        dispatcher.dispatch(command);
      }
    } catch (IOException e) {
      log.error("cannot read the kit's commands: {}", e.toString());
      status = 2;
    }
    dispatcher.shutdown();
    log.info("input ended, client closed");
    return status;
  }

  /** The client jar's own version when its manifest names one; else this build's, which is the client's too. */
  static String clientVersion() {
    String version = PresenceClient.class.getPackage().getImplementationVersion();
    if (version != null) {
      return version;
    }
    Properties p = new Properties();
    try (InputStream in = JavaClientAdapter.class.getResourceAsStream("adapter.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }
}
