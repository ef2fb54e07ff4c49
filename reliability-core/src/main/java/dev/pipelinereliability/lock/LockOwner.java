package dev.pipelinereliability.lock;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who holds a lock: the random id of one acquisition, plus where it runs, for humans reading a list
 * of held locks. Only {@link #id()} identifies the holder; two acquisitions on one host, even in
 * one process, have different ids.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the acquisition's random owner id ({@link LockHandle#ownerId()}); not blank
 * @param host the host name of the holder, or {@code ""} if unknown
 * @param pid the holder's process id, or {@link #UNKNOWN_PID}
 * @param instance the holder's instance name (on Cloud Run the revision, else the service), or
 *     {@code ""} if unknown
 */
public record LockOwner(String id, String host, long pid, String instance) {
  /** The {@link #pid()} of an owner whose process id is not known. */
  public static final long UNKNOWN_PID = -1;

  /**
   * Validates and creates an owner.
   *
   * @param id the id
   * @param host the host
   * @param pid the pid
   * @param instance the instance
   * @throws NullPointerException if a string argument is null
   * @throws IllegalArgumentException if {@code id} is blank or {@code pid} is below {@link
   *     #UNKNOWN_PID}; the message names the value
   */
  public LockOwner {
    requireNonNull(id, "id");
    requireNonNull(host, "host");
    requireNonNull(instance, "instance");
    if (id.isBlank()) {
      throw new IllegalArgumentException("owner id must not be blank, but was '" + id + "'");
    }
    if (pid < UNKNOWN_PID) {
      throw new IllegalArgumentException("pid must be -1 (unknown) or positive, but was " + pid);
    }
  }

  /**
   * Returns an owner with {@code id} and this process's host, pid and instance. The host is the
   * {@code HOSTNAME} environment variable or else the local host name; the instance is Cloud Run's
   * {@code K_REVISION}, or else {@code K_SERVICE}, when set (empty elsewhere).
   *
   * @param id the id
   * @return an owner with {@code id} and this process's host, pid and instance
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static LockOwner forThisProcess(String id) {
    return new LockOwner(id, ThisProcess.HOST, ThisProcess.PID, ThisProcess.INSTANCE);
  }

  /** Resolved once, lazily: the local host name may need a DNS lookup. */
  private static final class ThisProcess {
    static final String HOST = host();
    static final long PID = ProcessHandle.current().pid();
    static final String INSTANCE = instance();

    private static String host() {
      String env = System.getenv("HOSTNAME");
      if (env != null && !env.isBlank()) {
        return env;
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "";
      }
    }

    private static String instance() {
      String service = System.getenv("K_SERVICE");
      String revision = System.getenv("K_REVISION");
      if (revision != null && !revision.isBlank()) {
        return revision;
      }
      return service == null ? "" : service;
    }
  }

  /**
   * Returns an owner with only an id, for stores that keep nothing else.
   *
   * @param id the id
   * @return an owner with only an id, for stores that keep nothing else
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static LockOwner ofId(String id) {
    return new LockOwner(id, "", UNKNOWN_PID, "");
  }
}
