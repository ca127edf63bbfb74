package dev.presence.conformance.transcript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TranscriptsTest {
  private static final Path SOURCE =
      Path.of(System.getProperty("presence.repository", ".."), "spec", "transcripts");
  private static final List<String> NAMES = List.of("clear-state.txt", "blackhole-timed-out.txt");

  /** Suites run side by side from the kit's jar each read its transcripts; none may find the jar busy. */
  @Test
  void manyThreadsReadTheSameJarAtOnce(@TempDir Path dir) throws Exception {
    URI inJar = URI.create("jar:" + jarOf(dir.resolve("kit.jar")).toUri() + "!/transcripts");
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Transcript>>> reads = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        reads.add(pool.submit(() -> {
          start.await();
          return Transcripts.at(inJar);
        }));
      }
      start.countDown();
      for (Future<List<Transcript>> read : reads) {
        assertThat(read.get()).extracting(Transcript::name).containsExactly("blackhole-timed-out", "clear-state");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(Transcripts.at(inJar)).as("a later read, the jar's file system still open").hasSize(2);
  }

  @Test
  void theBundledTranscriptsAreTheSpecsOwn() throws IOException {
    assertThat(Transcripts.bundled()).extracting(Transcript::name)
        .containsExactlyElementsOf(Transcripts.in(SOURCE).stream().map(Transcript::name).toList());
  }

  private static Path jarOf(Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new ZipEntry("transcripts/"));
      out.closeEntry();
      for (String name : NAMES) {
        out.putNextEntry(new ZipEntry("transcripts/" + name));
        out.write(Files.readAllBytes(SOURCE.resolve(name)));
        out.closeEntry();
      }
    }
    return jar;
  }
}
