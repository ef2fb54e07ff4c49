package dev.pipelinereliability.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pre-built {@link Attributes} for a name (a lock type, a phase, a table) alone or paired with a
 * constant of one enum, so that recording allocates nothing after the first call with a name:
 * building an attribute set per call would cost an allocation on every hot path.
 *
 * @param <E> the enum whose constants are the second attribute's values
 */
final class AttributeTable<E extends Enum<E>> {
  private final AttributeKey<String> nameKey;
  private final AttributeKey<String> enumKey;
  private final E[] constants;
  private final ConcurrentHashMap<String, Attributes[]> byName = new ConcurrentHashMap<>();

  AttributeTable(AttributeKey<String> nameKey, AttributeKey<String> enumKey, Class<E> enumType) {
    this.nameKey = nameKey;
    this.enumKey = enumKey;
    this.constants = enumType.getEnumConstants();
  }

  /** The attributes {nameKey=name, enumKey=the constant's name in lower case}. */
  Attributes get(String name, E value) {
    return row(name)[value.ordinal() + 1];
  }

  /** The attributes {nameKey=name}. */
  Attributes get(String name) {
    return row(name)[0];
  }

  private Attributes[] row(String name) {
    Attributes[] row = byName.get(requireNonNull(name, "name"));
    return row != null ? row : byName.computeIfAbsent(name, this::newRow);
  }

  private Attributes[] newRow(String name) {
    Attributes[] row = new Attributes[constants.length + 1];
    row[0] = Attributes.of(nameKey, name);
    for (E c : constants) {
      row[c.ordinal() + 1] = Attributes.of(nameKey, name, enumKey, label(c));
    }
    return row;
  }

  /** The attribute value of a constant: {@code TIMED_OUT} is {@code timed_out}. */
  static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
