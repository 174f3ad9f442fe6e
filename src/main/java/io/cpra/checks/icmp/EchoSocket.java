package io.cpra.checks.icmp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One non-blocking ICMP socket and its buffers. Two kinds: the unprivileged ping socket
 * ({@code SOCK_DGRAM/IPPROTO_ICMP}: the kernel sets the identifier and checksum and hands back the ICMP
 * message alone) and the raw socket ({@code SOCK_RAW}: we set both and skip the IP header on receive; it
 * also sees every other ICMP message of the host, so replies are filtered by our identifier).
 *
 * <p>Sending is serialized by the caller (one lock); receiving belongs to one thread. The echo payload
 * carries the send time and a per-socket nonce, so a late reply can never be matched to a newer request
 * that reuses its 16-bit sequence number.
 */
final class EchoSocket implements AutoCloseable {

    enum Kind { PING, RAW }

    /** Outcomes of {@link #receive}. */
    static final int EMPTY = 0;
    static final int ECHO_REPLY = 1;
    static final int OTHER = 2;

    private static final int ICMP_ECHO_REPLY = 0;
    private static final int ICMP_ECHO_REQUEST = 8;
    private static final int HEADER = 8;
    private static final int PACKET = HEADER + 16;
    private static final int RECEIVE_CAPACITY = 2048;
    /** Room for bursts of replies (a raw socket also queues every request it sees on loopback). */
    private static final int RECEIVE_BUFFER_BYTES = 8 << 20;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** Why a socket could not be opened, with the errno that says so. */
    static final class Unavailable extends Exception {
        final int errno;

        Unavailable(Kind kind, int errno) {
            super(kind + " socket: " + Libc.describe(errno), null, false, false);
            this.errno = errno;
        }
    }

    final Kind kind;
    private final int fd;
    private final short identifier;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment sendPacket = arena.allocate(PACKET, 8);
    private final MemorySegment sendAddress = arena.allocate(Libc.SOCKADDR_IN_SIZE, 8);
    private final MemorySegment sendErrno = Libc.newErrnoCell(arena);
    private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_CAPACITY, 8);
    private final MemorySegment receiveAddress = arena.allocate(Libc.SOCKADDR_IN_SIZE, 8);
    private final MemorySegment receiveAddressLength = arena.allocate(ValueLayout.JAVA_INT);
    private final MemorySegment receiveErrno = Libc.newErrnoCell(arena);
    private final MemorySegment pollFd = arena.allocate(Libc.POLLFD_SIZE, 8);

    // the last reply read by receive(), valid until the next call
    int replySource;
    int replySequence;
    long replySentNanos;
    long replyNonce;

    private EchoSocket(Kind kind, int fd, short identifier) {
        this.kind = kind;
        this.fd = fd;
        this.identifier = identifier;
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
    }

    static EchoSocket open(Kind kind, short identifier) throws Unavailable {
        int type = (kind == Kind.PING ? Libc.SOCK_DGRAM : Libc.SOCK_RAW) | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoCell(scratch);
            int fd = Libc.socket(errno, Libc.AF_INET, type, Libc.IPPROTO_ICMP);
            if (fd < 0) throw new Unavailable(kind, Libc.errno(errno));
            // FORCE passes net.core.rmem_max when privileged; otherwise the kernel caps the plain request
            if (Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, RECEIVE_BUFFER_BYTES) != 0) {
                Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            }
            return new EchoSocket(kind, fd, identifier);
        }
    }

    /** Sends one echo request; returns 0 or the errno of the failure. Callers serialize sends. */
    int send(int ipv4, int sequence, long sentNanos, long nonce) {
        sendPacket.set(ValueLayout.JAVA_BYTE, 0, (byte) ICMP_ECHO_REQUEST);
        sendPacket.set(ValueLayout.JAVA_BYTE, 1, (byte) 0);
        sendPacket.set(U16, 2, (short) 0);
        sendPacket.set(U16, 4, kind == Kind.RAW ? identifier : 0);
        sendPacket.set(U16, 6, (short) sequence);
        sendPacket.set(U64, 8, sentNanos);
        sendPacket.set(U64, 16, nonce);
        if (kind == Kind.RAW) sendPacket.set(U16, 2, checksum(sendPacket, PACKET));
        Libc.writeSockaddrIn(sendAddress, ipv4);
        long sent = Libc.sendto(sendErrno, fd, sendPacket, PACKET, Libc.MSG_DONTWAIT,
                sendAddress, (int) Libc.SOCKADDR_IN_SIZE);
        return sent == PACKET ? 0 : sent < 0 ? Libc.errno(sendErrno) : Libc.EAGAIN;
    }

    /** Waits until a datagram can be read or the time is up; true when readable. */
    boolean awaitReadable(int timeoutMillis) {
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        int ready = Libc.poll(receiveErrno, pollFd, 1, timeoutMillis);
        return ready > 0 && (pollFd.get(ValueLayout.JAVA_SHORT, 6) & Libc.POLLIN) != 0;
    }

    /** Reads one datagram without blocking: {@link #EMPTY}, {@link #ECHO_REPLY} (fields set) or {@link #OTHER}. */
    int receive() {
        receiveAddressLength.set(ValueLayout.JAVA_INT, 0, (int) Libc.SOCKADDR_IN_SIZE);
        long length = Libc.recvfrom(receiveErrno, fd, receiveBuffer, RECEIVE_CAPACITY, Libc.MSG_DONTWAIT,
                receiveAddress, receiveAddressLength);
        if (length < 0) {
            int errno = Libc.errno(receiveErrno);
            return errno == Libc.EAGAIN || errno == Libc.EINTR ? EMPTY : OTHER;
        }
        int offset = 0;
        if (kind == Kind.RAW) {
            if (length < 20) return OTHER;
            offset = (receiveBuffer.get(ValueLayout.JAVA_BYTE, 0) & 0x0f) * 4;
        }
        if (length < offset + PACKET) return OTHER;
        if (receiveBuffer.get(ValueLayout.JAVA_BYTE, offset) != ICMP_ECHO_REPLY) return OTHER;
        if (kind == Kind.RAW && receiveBuffer.get(U16, offset + 4) != identifier) return OTHER;
        replySource = Libc.readSockaddrIn(receiveAddress);
        replySequence = receiveBuffer.get(U16, offset + 6) & 0xffff;
        replySentNanos = receiveBuffer.get(U64, offset + 8);
        replyNonce = receiveBuffer.get(U64, offset + 16);
        return ECHO_REPLY;
    }

    /** The Internet checksum (RFC 1071) of the first {@code length} bytes, length even. */
    static short checksum(MemorySegment data, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) sum += data.get(U16, i) & 0xffff;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (short) ~sum;
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
