package org.wsusfix.diagnose.procmon;

import java.util.ArrayList;
import java.util.List;

/** Process Monitor CSV exports written for the tests, quoted the way Procmon quotes. */
public final class CsvFixtures {
  public static final String[] FULL_HEADER = {
    "Time of Day", "Process Name", "PID", "Operation", "Path", "Result", "Detail", "User",
  };
  public static final String CREATE_DIR_DETAIL =
      "Desired Access: Read Data/List Directory, Synchronize, Disposition: Open, Options: Directory,"
          + " Synchronous IO Non-Alert, Attributes: n/a, ShareMode: Read, Write, AllocationSize: n/a,"
          + " Impersonating: NT AUTHORITY\\IUSR";

  private CsvFixtures() {}

  public static String quote(String field) {
    return '"' + field.replace("\"", "\"\"") + '"';
  }

  public static String row(String... fields) {
    List<String> q = new ArrayList<>();
    for (String f : fields) {
      q.add(quote(f));
    }
    return String.join(",", q) + "\r\n";
  }

  /** The WSUS failure as seen on the server: w3wp.exe impersonating IUSR is denied .NET. */
  public static String wsusCapture() {
    StringBuilder sb = new StringBuilder("\uFEFF");
    sb.append(row(FULL_HEADER));
    sb.append(
        row(
            "1:18:10.7752429 AM",
            "w3wp.exe",
            "3120",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET\\Framework",
            "ACCESS DENIED",
            "",
            "NT AUTHORITY\\NETWORK SERVICE"));
    sb.append(
        row(
            "1:18:10.7752500 AM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET",
            "ACCESS DENIED",
            CREATE_DIR_DETAIL,
            "NT AUTHORITY\\NETWORK SERVICE"));
    sb.append(
        row(
            "1:18:10.7752600 AM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\WINDOWS\\Microsoft.NET\\Framework\\v2.0.50727\\mscorlib.dll",
            "ACCESS DENIED",
            "Desired Access: Generic Read, Disposition: Open, Options: Non-Directory File, Attributes: n/a,"
                + " ShareMode: Read, AllocationSize: n/a, Impersonating: NT AUTHORITY\\IUSR",
            "NT AUTHORITY\\NETWORK SERVICE"));
    // The result text inside another field must not count.
    sb.append(
        row(
            "1:18:11.0000000 AM",
            "notepad.exe",
            "400",
            "WriteFile",
            "C:\\notes, \"ACCESS DENIED\".txt",
            "SUCCESS",
            "Offset: 0, Length: 14, said \"ACCESS DENIED\"\tthen\rmore",
            "PC\\admin"));
    sb.append(
        row(
            "1:18:12.0000000 AM",
            "w3wp.exe",
            "3120",
            "QueryOpen",
            "C:\\WINDOWS\\Microsoft.NET\\Framework",
            "ACCESS DENIED",
            "",
            "NT AUTHORITY\\NETWORK SERVICE"));
    sb.append(
        row(
            "1:18:12.5000000 AM",
            "svchost.exe",
            "888",
            "RegOpenKey",
            "HKLM\\SOFTWARE\\Secret",
            "PRIVILEGE NOT HELD",
            "Desired Access: Write DAC",
            "NT AUTHORITY\\LOCAL SERVICE"));
    sb.append(
        row(
            "1:18:13.0000000 AM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\inetpub\\wwwroot",
            "BAD IMPERSONATION",
            "Desired Access: Read Attributes",
            "NT AUTHORITY\\NETWORK SERVICE"));
    sb.append(
        row(
            "1:18:14.0000000 AM",
            "w3wp.exe",
            "3120",
            "CreateFile",
            "C:\\WINDOWS\\Temp\\x.tmp",
            "SUCCESS",
            "Desired Access: Generic Write",
            "NT AUTHORITY\\NETWORK SERVICE"));
    return sb.toString();
  }
}
