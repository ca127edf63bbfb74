package dev.presence.conformance.transcript;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
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

  /** Returns the transcripts bundled in the kit, parsed once; any number of suites may ask at the same time. */
  public static List<Transcript> bundled() {
    return Bundled.TRANSCRIPTS;
  }

  private static final class Bundled {
    static final List<Transcript> TRANSCRIPTS = load();

    private static List<Transcript> load() {
      URL url = Transcripts.class.getResource(BUNDLED);
      if (url == null) {
        throw new IllegalStateException("the kit was built without its transcripts");
      }
      try {
        return at(url.toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Parses the transcripts of a directory given as a URI, a {@code file:} one or one inside a jar. A jar's file
   * system is opened once and left open: closing it while another thread reads the same jar would break that read.
   */
  static List<Transcript> at(URI directory) {
    try {
      if (!directory.getScheme().equals("jar")) {
        return in(Path.of(directory));
      }
      FileSystem jar;
      try {
        jar = FileSystems.newFileSystem(directory, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        jar = FileSystems.getFileSystem(directory);
      }
      return in(jar.provider().getPath(directory));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
