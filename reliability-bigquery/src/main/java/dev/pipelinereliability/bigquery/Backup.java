package dev.pipelinereliability.bigquery;

/** What a cleanup does before its statement runs. */
public enum Backup {
  /** No backup. */
  NONE,
  /** A table snapshot (cheap: stores only changed data), through a copy job of type SNAPSHOT. */
  SNAPSHOT,
  /** A full table copy, through a copy job. */
  COPY
}
