package org.wsusfix.cli;

import picocli.CommandLine.Option;

/** --debug: stack traces for failures (read by the execution-error handler). */
public final class DebugOption {
  @Option(names = "--debug", description = "Print stack traces for errors")
  boolean debug;
}
