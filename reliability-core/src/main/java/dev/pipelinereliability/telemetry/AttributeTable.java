package dev.pipelinereliability.telemetry;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.EnumMap;
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
  private final Class<E> enumType;
  private final ConcurrentHashMap<String, Row<E>> byName = new ConcurrentHashMap<>();

  /** The attributes of one name: alone, and with each constant. */
  private record Row<E extends Enum<E>>(Attributes alone, EnumMap<E, Attributes> withConstant) {}

  AttributeTable(AttributeKey<String> nameKey, AttributeKey<String> enumKey, Class<E> enumType) {
    this.nameKey = nameKey;
    this.enumKey = enumKey;
    this.enumType = enumType;
  }

  /** The attributes {nameKey=name, enumKey=the constant's name in lower case}. */
  Attributes get(String name, E value) {
    return requireNonNull(row(name).withConstant().get(value));
  }

  /** The attributes {nameKey=name}. */
  Attributes get(String name) {
    return row(name).alone();
  }

  private Row<E> row(String name) {
    Row<E> row = byName.get(requireNonNull(name, "name"));
    return row != null ? row : byName.computeIfAbsent(name, this::newRow);
  }

  private Row<E> newRow(String name) {
    EnumMap<E, Attributes> withConstant = new EnumMap<>(enumType);
    for (E c : enumType.getEnumConstants()) {
      withConstant.put(c, Attributes.of(nameKey, name, enumKey, label(c)));
    }
    return new Row<>(Attributes.of(nameKey, name), withConstant);
  }

  /** The attribute value of a constant: {@code TIMED_OUT} is {@code timed_out}. */
  static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
