package org.wsusfix.diagnose.iislog;

import java.time.LocalDateTime;
import java.util.List;

/**
 * Requests HTTP.sys refused or dropped before IIS ran them, grouped by endpoint, reason and queue,
 * as the HTTPERR log shows them.
 *
 * @param endpoint the WSUS web service, or null where the log has no URL or one outside WSUS
 * @param url one logged cs-uri of these requests, or "" where none was logged
 * @param status the HTTP status sent, or -1 where the connection was dropped without one
 * @param reason s-reason, as HTTP.sys logs it
 * @param queue s-queuename (the application pool), or "" where none was logged
 */
public record HttpErrFinding(
    IisEndpoint endpoint,
    String url,
    int status,
    String reason,
    String queue,
    long count,
    long clients,
    LocalDateTime firstSeen,
    LocalDateTime lastSeen,
    List<String> files) {

  /** What a reason says about the application pool. */
  public enum Cause {
    /**
     * AppOffline, Disabled, AppShutdown: the pool is stopped (or was stopped by rapid-fail
     * protection).
     */
    POOL_STOPPED,
    /** QueueFull, Connection_Dropped_List_Full: more requests than the pool takes. */
    POOL_OVERLOADED,
    /**
     * Connection_Abandoned_By_AppPool, Connection_Dropped: a worker process died or was recycled
     * mid-request.
     */
    WORKER_LOST,
    /** Timer_*: the client was idle or slow; not the server's fault. */
    CLIENT_IDLE,
    OTHER
  }

  public static Cause cause(String reason) {
    String r = reason.toLowerCase(java.util.Locale.ROOT);
    if (r.equals("appoffline")
        || r.equals("disabled")
        || r.equals("appshutdown")
        || r.equals("disabledbyhttp")) {
      return Cause.POOL_STOPPED;
    }
    if (r.equals("queuefull")
        || r.equals("connection_dropped_list_full")
        || r.equals("connlimit")) {
      return Cause.POOL_OVERLOADED;
    }
    if (r.startsWith("connection_abandoned") || r.equals("connection_dropped")) {
      return Cause.WORKER_LOST;
    }
    if (r.startsWith("timer_") || r.equals("client_reset")) {
      return Cause.CLIENT_IDLE;
    }
    return Cause.OTHER;
  }

  public Cause cause() {
    return cause(reason);
  }

  /** Whether this points at the server (the pool), not at an idle client. */
  public boolean fault() {
    return cause() != Cause.CLIENT_IDLE;
  }

  /** Where the requests went, for people. */
  public String where() {
    return endpoint != null ? endpoint.prefix() : url.isEmpty() ? "(no URL logged)" : url;
  }

  /** One sentence saying what these refusals mean and what to check. */
  public String verdict() {
    String pool = queue.isEmpty() ? "the application pool" : "the " + queue + " application pool";
    String n =
        count
            + (count == 1 ? " request" : " requests")
            + " from "
            + clients
            + (clients == 1 ? " client" : " clients");
    String what =
        (status > 0 ? "HTTP.sys answered " + status + " " : "HTTP.sys dropped the connection ")
            + reason
            + " on "
            + where()
            + " ("
            + n
            + "): ";
    return what
        + switch (cause()) {
          case POOL_STOPPED ->
              pool
                  + " is stopped; start it and check the System event log (WAS"
                  + " events 5002, 5117) for rapid-fail protection or an identity whose password changed";
          case POOL_OVERLOADED ->
              pool
                  + " is overloaded (its request queue is full); raise its Queue"
                  + " Length and Private Memory Limit, and check for recycling in the System event log";
          case WORKER_LOST ->
              "a worker process of "
                  + pool
                  + " ended mid-request (crash, recycle or"
                  + " memory limit); check the System and Application event logs";
          case CLIENT_IDLE -> "the client was idle or slow; not a fault of the server";
          default ->
              "HTTP.sys refused the request before IIS ran it; look the reason up in the"
                  + " HTTP.sys error log documentation";
        };
  }
}
