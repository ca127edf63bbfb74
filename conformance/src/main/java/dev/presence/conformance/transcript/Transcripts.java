package dev.presence.conformance.transcript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads transcripts from a directory such as {@code spec/transcripts}, or the copies bundled in the kit. */
public final class Transcripts {

  private static final String BUNDLED = "transcripts";

  private Transcripts() {}

  /**
   * Parses every {@code *.txt} file of a directory, in file-name order.
   *
   * @throws IllegalArgumentException if a file breaks the format
   */
  public static List<Transcript> in(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().map(Transcripts::read).toList();
    }
  }

  /** Parses the transcripts bundled in the kit. */
  public static List<Transcript> bundled() {
    URL url = Transcripts.class.getResource(BUNDLED);
    if (url == null) {
      throw new IllegalStateException("the kit was built without its transcripts");
    }
    try {
      URI uri = url.toURI();
      if (!uri.getScheme().equals("jar")) {
        return in(Path.of(uri));
      }
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return in(jar.provider().getPath(uri));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Transcript read(Path file) {
    String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
    try {
      return TranscriptParser.parse(name, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
