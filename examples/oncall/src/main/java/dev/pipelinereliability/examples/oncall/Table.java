package dev.pipelinereliability.examples.oncall;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table with left-aligned columns as wide as their widest cell, for people; the {@code
 * --json} output is for machines. Not thread-safe.
 */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  private Table(String... header) {
    this.columns = header.length;
    rows.add(header);
  }

  static Table of(String... header) {
    return new Table(header);
  }

  Table row(Object... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "a row has " + columns + " cells, but " + cells.length + " were given");
    }
    String[] text = new String[columns];
    for (int i = 0; i < columns; i++) {
      text[i] = String.valueOf(cells[i]);
    }
    rows.add(text);
    return this;
  }

  boolean isEmpty() {
    return rows.size() == 1;
  }

  String render() {
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(row[i]);
        if (i < columns - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
