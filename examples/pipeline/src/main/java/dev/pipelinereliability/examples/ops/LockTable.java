package dev.pipelinereliability.examples.ops;

import dev.pipelinereliability.internal.Json;
import dev.pipelinereliability.lock.LockInfo;
import java.util.List;
import java.util.stream.Collectors;

/** Renders held locks for people (a table) and machines (JSON). Stateless. */
final class LockTable {
  private LockTable() {}

  static String text(List<LockInfo> held) {
    if (held.isEmpty()) {
      return "no locks held";
    }
    String format = "%-40s %-38s %-20s %-8s %-24s %-24s %s";
    StringBuilder table =
        new StringBuilder(
            String.format(format, "LOCK", "OWNER", "HOST", "PID", "SINCE", "EXPIRES", "TOKEN"));
    for (LockInfo lock : held) {
      table
          .append('\n')
          .append(
              String.format(
                  format,
                  lock.key(),
                  lock.owner().id(),
                  lock.owner().host(),
                  lock.owner().pid(),
                  lock.since(),
                  lock.expires(),
                  lock.fencingToken()));
    }
    return table.toString();
  }

  static String json(List<LockInfo> held) {
    return held.stream()
        .map(
            l ->
                "{\"type\":"
                    + Json.quote(l.key().type())
                    + ",\"key\":"
                    + Json.quote(l.key().key())
                    + ",\"owner\":"
                    + Json.quote(l.owner().id())
                    + ",\"host\":"
                    + Json.quote(l.owner().host())
                    + ",\"pid\":"
                    + l.owner().pid()
                    + ",\"instance\":"
                    + Json.quote(l.owner().instance())
                    + ",\"since\":"
                    + Json.quote(l.since().toString())
                    + ",\"expires\":"
                    + Json.quote(l.expires().toString())
                    + ",\"token\":"
                    + l.fencingToken()
                    + "}")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
