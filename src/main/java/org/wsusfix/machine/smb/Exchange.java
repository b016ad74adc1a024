package org.wsusfix.machine.smb;

import com.hierynomus.mserref.NtStatus;
import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.protocol.commons.concurrent.Futures;
import com.hierynomus.protocol.transport.TransportException;
import com.hierynomus.smbj.common.SMBRuntimeException;
import com.hierynomus.smbj.session.Session;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * One operation on one object as SMB2 requests sent one after another through {@link Session#send}
 * (so each is signed or encrypted as the session is), each when the answer before it has come: a
 * QUERY_INFO needs the file id its CREATE returned. Nothing blocks until {@link #advance}, so
 * {@link #runAll} keeps many exchanges in flight from one thread and the round trip is not paid
 * once per object.
 */
public final class Exchange<T> {
  static final long TIMEOUT_SECONDS = 60;

  /** What comes after an answer: another request, or the result. */
  sealed interface Step<T> permits Send, Done {}

  /**
   * Sends {@code request}; {@code then} turns its successful answer into the next step. When the
   * server refuses it (a failure status), {@code onRefused} runs first: it closes what an earlier
   * step opened.
   */
  record Send<T>(SMB2Packet request, Function<SMB2Packet, Step<T>> then, Runnable onRefused)
      implements Step<T> {}

  record Done<T>(T value) implements Step<T> {}

  /** Per object, its result or why it failed. */
  public record Result<T>(T value, SmbException failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /** Turns what went wrong into the one-line failure for this object. */
  interface Failures {
    SmbException refused(SMBApiException e);

    SmbException broken(SMBRuntimeException e);
  }

  private final Session session;
  private final Failures failures;
  private Send<T> current;
  private Future<SMB2Packet> waiting;
  private Result<T> result;

  Exchange(Session session, Failures failures, Step<T> first) {
    this.session = session;
    this.failures = failures;
    go(first);
  }

  static <T> Send<T> send(SMB2Packet request, Function<SMB2Packet, Step<T>> then) {
    return new Send<>(request, then, () -> {});
  }

  static <T> Send<T> send(
      SMB2Packet request, Function<SMB2Packet, Step<T>> then, Runnable onRefused) {
    return new Send<>(request, then, onRefused);
  }

  static <T> Done<T> done(T value) {
    return new Done<>(value);
  }

  public boolean finished() {
    return result != null;
  }

  /** Waits for the answer in flight and sends what follows it, or settles the result. */
  public void advance() {
    if (result != null) {
      return;
    }
    Send<T> sent = current;
    SMB2Packet answer;
    try {
      answer = Futures.get(waiting, TIMEOUT_SECONDS, TimeUnit.SECONDS, TransportException.Wrapper);
    } catch (TransportException e) {
      result = new Result<>(null, failures.broken(new SMBRuntimeException(e)));
      return;
    } catch (SMBRuntimeException e) {
      result = new Result<>(null, failures.broken(e));
      return;
    }
    if (!NtStatus.isSuccess(answer.getHeader().getStatusCode())) {
      sent.onRefused().run();
      result =
          new Result<>(
              null,
              failures.refused(
                  new SMBApiException(
                      answer.getHeader(), answer.getHeader().getMessage() + " failed")));
      return;
    }
    try {
      go(sent.then().apply(answer));
    } catch (SMBApiException e) {
      result = new Result<>(null, failures.refused(e));
    } catch (SMBRuntimeException e) {
      result = new Result<>(null, failures.broken(e));
    }
  }

  /** Runs this exchange to its end. */
  public Result<T> result() {
    while (result == null) {
      advance();
    }
    return result;
  }

  /** The value, or the failure thrown. */
  public T get() {
    Result<T> r = result();
    if (!r.ok()) {
      throw r.failure();
    }
    return r.value();
  }

  private void go(Step<T> step) {
    if (step instanceof Done<T> d) {
      result = new Result<>(d.value(), null);
      return;
    }
    current = (Send<T>) step;
    try {
      waiting = session.send(current.request());
    } catch (TransportException e) {
      result = new Result<>(null, failures.broken(new SMBRuntimeException(e)));
    } catch (SMBRuntimeException e) {
      result = new Result<>(null, failures.broken(e));
    }
  }

  /**
   * Runs {@code n} exchanges with at most {@code window} in flight: the oldest is advanced while
   * the others' requests travel, then goes to the back until it is done.
   *
   * @return per index, its result; a failure does not stop the others
   */
  public static <T> List<Result<T>> runAll(int n, int window, IntFunction<Exchange<T>> start) {
    List<Result<T>> out = new ArrayList<>(Collections.nCopies(n, null));
    Deque<Integer> order = new ArrayDeque<>();
    List<Exchange<T>> live = new ArrayList<>(Collections.nCopies(n, null));
    int next = 0;
    while (next < n || !order.isEmpty()) {
      while (next < n && order.size() < Math.max(1, window)) {
        live.set(next, start.apply(next));
        order.addLast(next++);
      }
      int i = order.removeFirst();
      Exchange<T> e = live.get(i);
      e.advance();
      if (e.finished()) {
        out.set(i, e.result);
        live.set(i, null);
      } else {
        order.addLast(i);
      }
    }
    return out;
  }
}
