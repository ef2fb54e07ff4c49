package dev.pipelinereliability.examples.oncall;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.pipelinereliability.lock.LockInfo;
import dev.pipelinereliability.lock.LockKey;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code locks list|release}: who holds which lock, and freeing one whose holder is gone. */
@Command(
    name = "locks",
    mixinStandardHelpOptions = true,
    description = "List or release distributed locks.",
    subcommands = {LocksCommand.ListLocks.class, LocksCommand.Release.class})
final class LocksCommand {
  private LocksCommand() {}

  /** {@code locks list [--type T] [--abandoned]}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Locks whose lease is live, or (--abandoned) still marked held after the lease ran out.",
        "Exit 0."
      })
  static final class ListLocks extends BaseCommand {
    @Option(names = "--type", paramLabel = "TYPE", description = "Only locks of this type.")
    @Nullable String type;

    @Option(
        names = "--abandoned",
        description = "Locks a holder left held: its lease ran out and it never released.")
    boolean abandoned;

    @Override
    int run(Session session) {
      if (type != null) {
        key(type, "x");
      }
      List<LockInfo> locks =
          (abandoned ? session.locks().listAbandoned() : session.locks().listHeld())
              .stream().filter(l -> type == null || l.key().type().equals(type)).toList();
      Table table = Table.of("TYPE", "KEY", "OWNER", "HOST", "PID", "SINCE", "EXPIRES", "TOKEN");
      JsonArray json = new JsonArray();
      for (LockInfo l : locks) {
        table.row(
            l.key().type(),
            l.key().key(),
            l.owner().id(),
            l.owner().host(),
            l.owner().pid(),
            l.since(),
            l.expires(),
            l.fencingToken());
        json.add(json(l));
      }
      session.print(
          table.isEmpty() ? (abandoned ? "no abandoned locks" : "no locks held") : table.render(),
          json.toString());
      return OnCall.OK;
    }
  }

  /** {@code locks release TYPE KEY --reason TEXT [--dry-run]}. */
  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = {
        "Release a lock whoever holds it; its holder's next checkValid() fails with the reason.",
        "Exit 0: released (or would be); 1: the lock was not held."
      })
  static final class Release extends BaseCommand {
    @Parameters(index = "0", paramLabel = "TYPE", description = "The lock type, such as phase3.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String type;

    @Parameters(index = "1", paramLabel = "KEY", description = "The lock key, such as a date.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String key;

    @Option(
        names = "--reason",
        required = true,
        paramLabel = "TEXT",
        description = "Why; kept on the lock and shown to its holder.")
    @SuppressWarnings("NullAway.Init") // picocli sets a required value before call()
    String reason;

    @Option(
        names = "--dry-run",
        description = "Show the lock that would be released; write nothing.")
    boolean dryRun;

    @Override
    int run(Session session) {
      LockKey lock = key(type, key);
      requireReason(reason);
      String recorded = reason.strip() + " (by " + session.actor() + ")";
      Optional<LockInfo> held =
          session.locks().listHeld().stream().filter(l -> l.key().equals(lock)).findFirst();
      JsonObject json = new JsonObject();
      json.addProperty("lock", lock.toString());
      json.addProperty("reason", recorded);
      json.addProperty("dry_run", dryRun);
      if (dryRun) {
        json.addProperty("held", held.isPresent());
        held.ifPresent(l -> json.add("holder", json(l)));
        session.print(
            held.map(
                    l ->
                        "dry run: would release "
                            + lock
                            + ", held by "
                            + l.owner().id()
                            + " on "
                            + l.owner().host()
                            + " since "
                            + l.since()
                            + " (token "
                            + l.fencingToken()
                            + "), reason '"
                            + recorded
                            + "'; nothing written")
                .orElse("dry run: " + lock + " is not held; nothing to release"),
            json.toString());
        return held.isPresent() ? OnCall.OK : OnCall.FINDINGS;
      }
      boolean released = session.locks().forceRelease(lock, recorded);
      json.addProperty("released", released);
      session.print(
          released
              ? "released " + lock + " (" + recorded + ")"
              : lock + " was not held; nothing released",
          json.toString());
      return released ? OnCall.OK : OnCall.FINDINGS;
    }
  }

  static LockKey key(String type, String key) {
    try {
      return LockKey.of(type, key);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static JsonObject json(LockInfo l) {
    JsonObject o = new JsonObject();
    o.addProperty("type", l.key().type());
    o.addProperty("key", l.key().key());
    o.addProperty("owner", l.owner().id());
    o.addProperty("host", l.owner().host());
    o.addProperty("pid", l.owner().pid());
    o.addProperty("instance", l.owner().instance());
    o.addProperty("since", l.since().toString());
    o.addProperty("expires", l.expires().toString());
    o.addProperty("token", l.fencingToken());
    return o;
  }
}
