package dev.pipelinereliability.firestore.completion;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import dev.pipelinereliability.completion.AuditEntry;
import dev.pipelinereliability.completion.Completion;
import dev.pipelinereliability.completion.CompletionKey;
import dev.pipelinereliability.completion.CompletionState;
import dev.pipelinereliability.completion.OverrideAction;
import dev.pipelinereliability.completion.PhaseConfig;
import dev.pipelinereliability.completion.RecordedCompletion;
import dev.pipelinereliability.completion.Trigger;
import dev.pipelinereliability.completion.spi.StateChange;
import dev.pipelinereliability.firestore.internal.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completion document layout of the legacy orchestrator (the one this tracker replaces),
 * extended compatibly: reads what it wrote, and writes what it and its dashboards read. One
 * document per (phase, date); top-level fields not starting with {@code _} are processors. The
 * module README lists every field and how older documents read. Stateless and thread-safe.
 */
final class LegacyOrchestratorLayout {
  private static final Logger log = LoggerFactory.getLogger(LegacyOrchestratorLayout.class);

  private static final String COMPLETED_COUNT = "_completed_count";
  private static final String TRIGGERED = "_triggered";
  private static final String TRIGGER_REASON = "_trigger_reason";
  static final String LAST_UPDATE = "_last_update";
  private static final String TRIGGER_ID = "_trigger_id";
  private static final String TRIGGER_GENERATION = "_trigger_generation";
  private static final String TRIGGER_NOTE = "_trigger_note";
  private static final String TRIGGER_CLAIMED_AT = "_trigger_claimed_at";
  private static final String TRIGGER_MISSING = "_trigger_missing";
  private static final String TRIGGER_PUBLISHED_AT = "_trigger_published_at";
  private static final String TRIGGER_CLAIM_NONCE = "_trigger_claim_nonce";
  private static final String AUDIT = "_audit";

  private static final Pattern PROCESSOR = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  private LegacyOrchestratorLayout() {}

  /** Reads a snapshot (existing or not) as the state of {@code key}. */
  static CompletionState read(CompletionKey key, PhaseConfig phase, DocumentSnapshot doc) {
    if (!doc.exists()) {
      return CompletionState.empty(key, phase.expected());
    }
    Map<String, Object> data = doc.getData();
    Instant docTime = instant(doc.getUpdateTime()).orElse(Instant.EPOCH);
    Map<String, RecordedCompletion> completions = new HashMap<>();
    for (Map.Entry<String, Object> field : data.entrySet()) {
      String name = field.getKey();
      if (name.startsWith("_")) {
        continue;
      }
      if (!PROCESSOR.matcher(name).matches() || name.length() > 128) {
        log.warn("{}: field '{}' is not a valid processor name; ignored", key, name);
        continue;
      }
      completions.put(name, completion(key, name, field.getValue(), docTime));
    }
    OptionalInt storedCount =
        data.get(COMPLETED_COUNT) instanceof Number n
            ? OptionalInt.of(n.intValue())
            : OptionalInt.empty();
    int generation = data.get(TRIGGER_GENERATION) instanceof Number n ? n.intValue() : 0;
    Optional<Trigger> trigger = Optional.empty();
    if (Boolean.TRUE.equals(data.get(TRIGGERED))) {
      String reason = data.get(TRIGGER_REASON) instanceof String r ? r : "unknown";
      Object id = data.get(TRIGGER_ID);
      if (id instanceof String triggerId) {
        int triggerGeneration = generation;
        trigger =
            Optional.of(
                new Trigger(
                    triggerId,
                    key,
                    triggerGeneration,
                    reason,
                    data.get(TRIGGER_NOTE) instanceof String note ? note : "",
                    instant(data.get(TRIGGER_CLAIMED_AT)).orElse(docTime),
                    names(data.get(TRIGGER_MISSING)),
                    instant(data.get(TRIGGER_PUBLISHED_AT)),
                    data.get(TRIGGER_CLAIM_NONCE) instanceof String nonce ? nonce : ""));
      } else {
        Instant at = instant(data.get(LAST_UPDATE)).orElse(docTime);
        trigger =
            Optional.of(
                new Trigger(
                    Trigger.idOf(key, 0),
                    key,
                    0,
                    reason,
                    "triggered by an older orchestrator that kept no trigger id",
                    at,
                    Set.of(),
                    Optional.of(at),
                    ""));
      }
    }
    return new CompletionState(
        key,
        phase.expected(),
        completions,
        storedCount,
        trigger,
        generation,
        auditTrail(key, data.get(AUDIT)));
  }

  /**
   * The top-level fields {@code change} writes, by field name. For a document that does not exist
   * yet ({@code create}) the audit entry is a one-element list; otherwise it is appended with
   * {@code arrayUnion} and a cleared trigger deletes its fields.
   */
  static Map<String, Object> fields(StateChange change, boolean create) {
    Map<String, Object> out = new LinkedHashMap<>();
    change.completion().ifPresent(c -> out.put(c.processor(), completionValue(c)));
    if (change.storedCount().isPresent()) {
      out.put(COMPLETED_COUNT, (long) change.storedCount().getAsInt());
    }
    change
        .trigger()
        .ifPresent(
            t -> {
              out.put(TRIGGERED, true);
              out.put(TRIGGER_REASON, t.reason());
              out.put(TRIGGER_ID, t.id());
              out.put(TRIGGER_GENERATION, (long) t.generation());
              out.put(TRIGGER_NOTE, t.note());
              out.put(TRIGGER_CLAIMED_AT, Timestamps.timestamp(t.claimedAt()));
              out.put(TRIGGER_MISSING, List.copyOf(t.missing()));
              out.put(
                  TRIGGER_PUBLISHED_AT, t.publishedAt().map(Timestamps::timestamp).orElse(null));
              out.put(TRIGGER_CLAIM_NONCE, t.claimNonce());
            });
    if (change.clearTrigger()) {
      out.put(TRIGGERED, false);
      for (String f :
          List.of(
              TRIGGER_REASON,
              TRIGGER_ID,
              TRIGGER_NOTE,
              TRIGGER_CLAIMED_AT,
              TRIGGER_MISSING,
              TRIGGER_PUBLISHED_AT,
              TRIGGER_CLAIM_NONCE)) {
        out.put(f, create ? null : FieldValue.delete());
      }
    }
    change
        .audit()
        .ifPresent(
            e -> out.put(AUDIT, create ? List.of(audit(e)) : FieldValue.arrayUnion(audit(e))));
    out.put(LAST_UPDATE, FieldValue.serverTimestamp());
    return out;
  }

  static Map<String, Object> completionValue(RecordedCompletion rc) {
    Completion c = rc.completion();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("completed_at", Timestamps.timestamp(rc.recordedAt()));
    v.put("status", "success");
    c.messageId().ifPresent(id -> v.put("message_id", id));
    if (c.rowCount().isPresent()) {
      v.put("row_count", c.rowCount().getAsLong());
    }
    if (c.fencingToken().isPresent()) {
      v.put("fencing_token", c.fencingToken().getAsLong());
    }
    if (!c.details().isEmpty()) {
      v.put("details", new LinkedHashMap<>(c.details()));
    }
    if (!rc.writeId().isEmpty()) {
      v.put("write_id", rc.writeId());
    }
    return v;
  }

  private static RecordedCompletion completion(
      CompletionKey key, String processor, Object value, Instant docTime) {
    if (!(value instanceof Map<?, ?> m)) {
      return new RecordedCompletion(processor, Completion.empty(), docTime);
    }
    Completion.Builder b = Completion.builder();
    Object messageId = m.containsKey("message_id") ? m.get("message_id") : m.get("correlation_id");
    if (messageId instanceof String s && !s.isBlank()) {
      b.messageId(s);
    }
    Object rows = m.containsKey("row_count") ? m.get("row_count") : m.get("record_count");
    if (rows instanceof Number n && n.longValue() >= 0) {
      b.rowCount(n.longValue());
    }
    if (m.get("fencing_token") instanceof Number n && n.longValue() >= 0) {
      b.fencingToken(n.longValue());
    }
    if (m.get("details") instanceof Map<?, ?> details) {
      details.forEach((k, v) -> b.detail(String.valueOf(k), String.valueOf(v)));
    }
    Completion completion;
    try {
      completion = b.build();
    } catch (IllegalArgumentException e) {
      // A hand-edited or foreign field must not make the whole key unreadable.
      log.warn(
          "{}: metadata of processor '{}' unreadable ({}); kept as a bare completion",
          key,
          processor,
          e.getMessage());
      completion = Completion.empty();
    }
    return new RecordedCompletion(
        processor,
        completion,
        instant(m.get("completed_at")).orElse(docTime),
        m.get("write_id") instanceof String id ? id : "");
  }

  private static Map<String, Object> audit(AuditEntry e) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("at", Timestamps.timestamp(e.at()));
    v.put("action", e.action().name());
    v.put("actor", e.actor());
    v.put("reason", e.reason());
    e.processor().ifPresent(p -> v.put("processor", p));
    v.put("detail", e.detail());
    return v;
  }

  private static List<AuditEntry> auditTrail(CompletionKey key, @Nullable Object value) {
    List<AuditEntry> out = new ArrayList<>();
    if (!(value instanceof List<?> list)) {
      return out;
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> m)) {
        continue;
      }
      try {
        out.add(
            new AuditEntry(
                instant(m.get("at")).orElse(Instant.EPOCH),
                OverrideAction.valueOf(String.valueOf(m.get("action"))),
                String.valueOf(m.get("actor")),
                String.valueOf(m.get("reason")),
                m.get("processor") instanceof String p ? Optional.of(p) : Optional.empty(),
                m.get("detail") instanceof String d ? d : ""));
      } catch (IllegalArgumentException e) {
        log.warn("{}: unreadable audit entry {} skipped: {}", key, m, e.getMessage());
      }
    }
    out.sort(java.util.Comparator.comparing(AuditEntry::at));
    return out;
  }

  private static Set<String> names(@Nullable Object value) {
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s && PROCESSOR.matcher(s).matches()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Optional<Instant> instant(@Nullable Object value) {
    if (value instanceof Timestamp t) {
      return Optional.of(Timestamps.instant(t));
    }
    if (value instanceof java.util.Date d) {
      return Optional.of(d.toInstant());
    }
    if (value instanceof String s) {
      try {
        return Optional.of(Instant.parse(s));
      } catch (java.time.format.DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
