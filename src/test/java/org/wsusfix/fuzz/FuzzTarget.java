package org.wsusfix.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One parser under fuzzing: the inputs its mutations start from, how to run it on a file, and the
 * exception types it documents for bad input. Adding a parser (plans, undo journals) is one more
 * instance in {@link ParserFuzzTest#targets()}.
 *
 * @param extension the file name ending the parser expects, e.g. ".yaml"
 * @param errors the exception types that mean "bad input, reported"; anything else is a bug
 */
public record FuzzTarget(
    String name,
    String extension,
    List<byte[]> seeds,
    Run run,
    Set<Class<? extends Throwable>> errors) {

  /** Parses one file; returns normally on success. */
  public interface Run {
    void parse(Path file) throws Exception;
  }

  public boolean documented(Throwable t) {
    return errors.stream().anyMatch(c -> c.isInstance(t));
  }
}
