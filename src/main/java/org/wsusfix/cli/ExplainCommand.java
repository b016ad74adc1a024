package org.wsusfix.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.wsusfix.diagnose.wulog.ErrorCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code wsusfix explain 0x800710DD}: what a Windows Update error code means and what to check. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description =
        "Explains Windows Update error codes: meaning, HTTP status, whether the server's"
            + " permissions are to blame, and what to check.")
public final class ExplainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "CODE",
      description = "0x800710DD, 800710DD, WU_E_PT_HTTP_STATUS_DENIED or -2147020579")
  List<String> codes = new ArrayList<>();

  @Option(names = "--all", description = "List every code in the catalogue")
  boolean all;

  @Option(names = "--json", description = "Print JSON")
  boolean json;

  @Override
  public Integer call() {
    List<ErrorCatalog.Entry> entries = new ArrayList<>();
    if (all) {
      entries.addAll(ErrorCatalog.all());
    } else if (codes.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "give an error code, or --all");
    }
    for (String text : codes) {
      Optional<Long> code = ErrorCatalog.parse(text);
      if (code.isEmpty()) {
        throw new UserError(
            "'"
                + text
                + "' is not an error code (expected 0x800710DD, 800710DD,"
                + " a name such as WU_E_PT_HTTP_STATUS_DENIED, or a decimal number)");
      }
      entries.add(
          ErrorCatalog.find(code.get())
              .orElseThrow(
                  () ->
                      new UserError(
                          ErrorCatalog.Entry.hex(code.get())
                              + " is not in the catalogue; 'wsusfix explain --all' lists the known codes")));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Object> list = new ArrayList<>();
      for (ErrorCatalog.Entry e : entries) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", e.hex());
        m.put("name", e.name());
        m.put("meaning", e.meaning());
        m.put("httpStatus", e.httpStatus());
        m.put("permissionRelated", e.permissionRelated());
        m.put("check", e.check());
        list.add(m);
      }
      out.println(org.wsusfix.diagnose.JsonText.write(list));
    } else {
      boolean first = true;
      for (ErrorCatalog.Entry e : entries) {
        if (!first) {
          out.println();
        }
        first = false;
        out.println(e.hex() + "  " + e.name());
        out.println("  meaning:  " + e.meaning());
        out.println("  HTTP:     " + (e.httpStatus() == null ? "-" : e.httpStatus()));
        String perm = e.permissionRelated() ? "yes" : "no";
        if (e.code() == ErrorCatalog.INVALID_OPERATION) {
          perm = "only together with HTTP 401 in the same sync attempt";
        }
        out.println("  server permissions: " + perm);
        out.println("  check:    " + e.check());
      }
    }
    out.flush();
    return 0;
  }
}
