package org.wsusfix.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A bash completion script for wsusfix, made from the command tree: one function, {@code _wsusfix},
 * and one {@code complete} line. picocli's own generator defines generic helper functions in the
 * user's shell and carries installation notes for every picocli program; this one does neither.
 */
final class BashCompletion {
  private BashCompletion() {}

  static String script(CommandLine root) {
    List<CommandLine> commands = new ArrayList<>();
    collect(root, commands);
    String name = root.getCommandName();
    StringBuilder s = new StringBuilder();
    s.append("# bash completion for ")
        .append(name)
        .append(": source <(")
        .append(name)
        .append(" completion)\n");
    s.append("_").append(name).append("() {\n");
    s.append("  local cur=${COMP_WORDS[COMP_CWORD]} prev= path= i\n");
    s.append("  (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n");
    // bash splits --from=hex into --from, = and hex
    s.append(
        "  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n");
    s.append("    prev=${COMP_WORDS[COMP_CWORD-2]}\n");
    s.append("  fi\n");
    s.append("  for ((i = 1; i < COMP_CWORD; i++)); do\n");
    s.append("    case \"$path ${COMP_WORDS[i]}\" in\n");
    List<String> paths = new ArrayList<>();
    for (CommandLine c : commands) {
      if (c != root) {
        paths.add(quote(path(c)));
      }
    }
    s.append("      ")
        .append(String.join("|", paths))
        .append(") path=\"$path ${COMP_WORDS[i]}\" ;;\n");
    s.append("    esac\n");
    s.append("  done\n");

    // The value of an option: its candidates, else bash's own (file names).
    s.append("  case \"$path $prev\" in\n");
    for (CommandLine c : commands) {
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (o.hidden() || o.arity().max() == 0) {
          continue;
        }
        List<String> keys = new ArrayList<>();
        for (String n : o.names()) {
          keys.add(quote(path(c) + " " + n));
        }
        s.append("    ").append(String.join("|", keys)).append(")");
        List<String> values = candidates(o);
        if (values.isEmpty()) {
          s.append(" return ;;\n");
        } else if (o.type().isEnum()) {
          s.append("\n      COMPREPLY=($(compgen -W ")
              .append(quote(String.join(" ", values)))
              .append(" -- \"$cur\"))\n      return ;;\n");
        } else {
          // a name or a file: one word a line, so that file names with spaces stay whole
          s.append("\n      local IFS=$'\\n'\n      compopt -o filenames 2>/dev/null\n");
          s.append("      COMPREPLY=($(compgen -W \"$(printf '%s\\n'");
          for (String v : values) {
            s.append(' ').append(quote(v));
          }
          s.append(")\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n      return ;;\n");
        }
      }
    }
    s.append("  esac\n");

    // Otherwise an option of the command, or one of its subcommands.
    s.append("  local options= commands=\n");
    s.append("  case \"$path\" in\n");
    for (CommandLine c : commands) {
      List<String> options = new ArrayList<>();
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (!o.hidden()) {
          options.addAll(List.of(o.names()));
        }
      }
      List<String> subs = subcommandNames(c);
      if (c.getCommandSpec().userObject() instanceof HelpCommand && c.getParent() != null) {
        subs = subcommandNames(c.getParent());
      }
      s.append("    ")
          .append(quote(path(c)))
          .append(") options=")
          .append(quote(String.join(" ", options)));
      if (!subs.isEmpty()) {
        s.append(" commands=").append(quote(String.join(" ", subs)));
      }
      s.append(" ;;\n");
    }
    s.append("  esac\n");
    s.append("  if [[ $cur == -* ]]; then\n");
    s.append("    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n");
    s.append("  elif [[ -n $commands ]]; then\n");
    s.append("    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n");
    s.append("  fi\n");
    s.append("}\n");
    // -o default: where the function offers nothing (a path, a file), bash completes file names
    s.append("complete -o default -F _").append(name).append(' ').append(name).append('\n');
    return s.toString();
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    for (CommandLine sub : distinct(c.getSubcommands())) {
      collect(sub, into);
    }
  }

  /** The subcommands once each (picocli lists a command under each of its aliases). */
  private static List<CommandLine> distinct(Map<String, CommandLine> subs) {
    List<CommandLine> out = new ArrayList<>();
    for (CommandLine c : subs.values()) {
      if (!out.contains(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<String> subcommandNames(CommandLine c) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
      if (!e.getValue().getCommandSpec().usageMessage().hidden()) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  /** The words after the program name that select {@code c}: "" for the root, " sddl convert". */
  private static String path(CommandLine c) {
    StringBuilder p = new StringBuilder();
    for (CommandSpec spec = c.getCommandSpec(); spec.parent() != null; spec = spec.parent()) {
      p.insert(0, " " + spec.name());
    }
    return p.toString();
  }

  private static List<String> candidates(OptionSpec o) {
    List<String> out = new ArrayList<>();
    if (o.completionCandidates() != null) {
      for (String v : o.completionCandidates()) {
        // enums are read case-insensitively, and lower case is how the help and policies write them
        out.add(o.type().isEnum() ? v.toLowerCase(java.util.Locale.ROOT) : v);
      }
    }
    return out;
  }

  /** One word for bash, taken literally. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
