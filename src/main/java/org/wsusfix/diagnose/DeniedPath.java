package org.wsusfix.diagnose;

/**
 * Denied accesses grouped by process, identity, folder to fix and operation.
 *
 * @param identity the impersonated account where there is one, else the process's account
 * @param processUser the process's own account
 * @param path the folder to fix (a registry key for registry events)
 * @param access the rights that were asked for, as Process Monitor words them
 * @param example one full path that was denied
 * @param fileSystem true for files and folders (only these can go into a policy)
 */
public record DeniedPath(
    String result,
    String process,
    String identity,
    String processUser,
    String path,
    String operation,
    String access,
    long count,
    String example,
    boolean fileSystem) {

  /** Whether the denied request asked for more than reading. */
  public boolean asksWrite() {
    if (access == null) {
      return false;
    }
    for (String right : org.wsusfix.diagnose.procmon.DetailText.splitList(access)) {
      switch (right) {
        case "Write Data/Add File":
        case "Append Data/Add Subdirectory/Create Pipe Instance":
        case "Write EA":
        case "Write Attributes":
        case "Delete":
        case "Delete Child":
        case "Generic Write":
        case "Generic Read/Write":
        case "Generic Read/Write/Execute":
        case "Generic Write/Execute":
        case "All Access":
          return true;
        default:
          break;
      }
    }
    return false;
  }
}
