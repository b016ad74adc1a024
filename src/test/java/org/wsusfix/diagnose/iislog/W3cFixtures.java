package org.wsusfix.diagnose.iislog;

import java.util.ArrayList;
import java.util.List;

/** IIS W3C log text as IIS 10 writes it for the WSUS site (CRLF, directive block first). */
public final class W3cFixtures {
  /** The default field set of IIS 8.5+ plus nothing. */
  public static final String FIELDS =
      "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)"
          + " cs(Referer) sc-status sc-substatus sc-win32-status time-taken";

  private final List<String> lines = new ArrayList<>();

  private W3cFixtures() {}

  public static W3cFixtures log(String date) {
    W3cFixtures f = new W3cFixtures();
    f.lines.add("#Software: Microsoft Internet Information Services 10.0");
    f.lines.add("#Version: 1.0");
    f.lines.add("#Date: " + date + " 00:00:00");
    f.lines.add("#Fields: " + FIELDS);
    return f;
  }

  public W3cFixtures line(String text) {
    lines.add(text);
    return this;
  }

  /** A request in the default field order. */
  public W3cFixtures req(
      String dateTime, String method, String stem, String client, int status, int sub, long win32) {
    return req(dateTime, method, stem, client, status, sub, win32, 15);
  }

  public W3cFixtures req(
      String dateTime,
      String method,
      String stem,
      String client,
      int status,
      int sub,
      long win32,
      int timeTaken) {
    lines.add(
        dateTime
            + " 10.0.0.5 "
            + method
            + " "
            + stem
            + " - 8530 - "
            + client
            + " Windows-Update-Agent/10.0.10011.16384+Client-Protocol/2.50 - "
            + status
            + " "
            + sub
            + " "
            + win32
            + " "
            + timeTaken);
    return this;
  }

  public String text() {
    return String.join("\r\n", lines) + "\r\n";
  }
}
