package dev.presence.conformance.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits text to a console's width by breaking lines at spaces, so that no detail is ever cut: a reader of a
 * terminal or a CI log sees all of it, and no line ends in blanks.
 */
final class Wrap {

  /** Wide enough for a requirement row with a useful detail column, narrow enough for a CI log. */
  static final int WIDTH = 100;
  /** The narrowest a wrapped column gets, whatever stands before it. */
  private static final int MIN_COLUMN = 30;

  private Wrap() {}

  /**
   * Lays text out after a lead, with continuation lines indented.
   *
   * @param lead what the first line starts with, such as a padded row heading; kept as it is
   * @param text the text to wrap; its line breaks are kept, other runs of white space become one space
   * @param indent how many spaces start each continuation line
   * @return the lines, none ending in white space
   */
  static List<String> lines(String lead, String text, int indent) {
    List<String> wrapped = wrap(text, Math.max(MIN_COLUMN, WIDTH - lead.length()),
        Math.max(MIN_COLUMN, WIDTH - indent));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < wrapped.size(); i++) {
      String line = (i == 0 ? lead : " ".repeat(indent)) + wrapped.get(i);
      lines.add(line.stripTrailing());
    }
    return lines;
  }

  /**
   * Breaks text into lines of at most {@code firstWidth} characters, then {@code restWidth}; a word longer than a
   * line is split, never dropped.
   */
  static List<String> wrap(String text, int firstWidth, int restWidth) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String paragraph : text.split("\n", -1)) {
      for (String word : paragraph.strip().split("\\s+")) {
        String rest = word;
        while (!rest.isEmpty()) {
          int width = lines.isEmpty() ? firstWidth : restWidth;
          int room = width - line.length() - (line.length() > 0 ? 1 : 0);
          if (rest.length() <= room) {
            line.append(line.length() > 0 ? " " : "").append(rest);
            rest = "";
          } else if (line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
          } else {
            lines.add(rest.substring(0, width));
            rest = rest.substring(width);
          }
        }
      }
      lines.add(line.toString());
      line.setLength(0);
    }
    return lines;
  }
}
