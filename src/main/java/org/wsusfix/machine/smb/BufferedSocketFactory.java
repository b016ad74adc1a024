package org.wsusfix.machine.smb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Sockets for smbj whose input is buffered: smbj reads each answer as a 4-byte length and then its
 * body, two system calls per answer on a bare socket, while with many requests in flight several
 * answers wait in the kernel at once and one read can take them all. Nagle's delay is off, as a
 * client that sends many small requests back to back needs.
 */
final class BufferedSocketFactory extends SocketFactory {
  private static final int BUFFER = 256 * 1024;
  private final int connectTimeoutMillis;

  BufferedSocketFactory(int connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connect(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connect(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connect(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connect(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connect(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket s = new BufferedSocket();
    try {
      if (local != null) {
        s.bind(local);
      }
      s.setTcpNoDelay(true);
      s.connect(remote, connectTimeoutMillis);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static final class BufferedSocket extends Socket {
    private InputStream in;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (in == null) {
        in = new BufferedInputStream(super.getInputStream(), BUFFER);
      }
      return in;
    }
  }
}
