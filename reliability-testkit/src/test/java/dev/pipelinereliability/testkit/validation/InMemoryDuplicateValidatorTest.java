package dev.pipelinereliability.testkit.validation;

import dev.pipelinereliability.validation.DuplicateValidator;
import java.util.List;
import java.util.Map;

class InMemoryDuplicateValidatorTest extends DuplicateValidatorContract {
  private final InMemoryDuplicateValidator validator = new InMemoryDuplicateValidator();

  @Override
  protected DuplicateValidator validator() {
    return validator;
  }

  @Override
  protected String createTable(String name, List<Map<String, Object>> rows) {
    validator.putTable(name, rows);
    return name;
  }
}
