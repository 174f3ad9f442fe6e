package io.cpra.checks.icmp;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls ICMP needs, bound once through the Foreign Function &amp; Memory API. Every call that can
 * fail captures errno into a caller-owned segment ({@link #newErrnoCell}), so concurrent callers never share
 * one; the caller reads it with {@link #errno}. Linux x86-64/aarch64 constants.
 */
final class Libc {

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_ICMP = 1;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 1;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVBUFFORCE = 33;

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;

    /** struct sockaddr_in is 16 bytes: family (host order), port, address (network order), padding. */
    static final long SOCKADDR_IN_SIZE = 16;
    /** struct pollfd: int fd, short events, short revents. */
    static final long POLLFD_SIZE = 8;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SENDTO =
            downcall("sendto", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, INT));
    private static final MethodHandle RECVFROM =
            downcall("recvfrom", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT, PTR, PTR));
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(INT, PTR, LONG, INT));
    private static final MethodHandle SETSOCKOPT =
            downcall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(PTR.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), INT));

    private Libc() {}

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    static MemorySegment newErrnoCell(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    static int errno(MemorySegment cell) {
        return (int) ERRNO.get(cell, 0L);
    }

    static int socket(MemorySegment errno, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(errno, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendto(MemorySegment errno, int fd, MemorySegment buf, long len, int flags,
                       MemorySegment address, int addressLength) {
        try {
            return (long) SENDTO.invokeExact(errno, fd, buf, len, flags, address, addressLength);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long recvfrom(MemorySegment errno, int fd, MemorySegment buf, long len, int flags,
                         MemorySegment address, MemorySegment addressLength) {
        try {
            return (long) RECVFROM.invokeExact(errno, fd, buf, len, flags, address, addressLength);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int poll(MemorySegment errno, MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(errno, fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sets an int socket option; returns 0 or the errno of the failure. */
    static int setIntOption(int fd, int level, int option, int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = newErrnoCell(arena);
            MemorySegment cell = arena.allocateFrom(ValueLayout.JAVA_INT, value);
            int result = (int) SETSOCKOPT.invokeExact(errno, fd, level, option, cell, 4);
            return result == 0 ? 0 : errno(errno);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(newErrnoCell(arena), fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The C library's text for an errno, e.g. "Operation not permitted"; for error paths only. */
    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Writes a struct sockaddr_in for an IPv4 address given as a big-endian int. */
    static void writeSockaddrIn(MemorySegment target, int ipv4) {
        target.fill((byte) 0);
        target.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
        target.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 4, ipv4);
    }

    /** The IPv4 address of a struct sockaddr_in, as a big-endian int. */
    static int readSockaddrIn(MemorySegment source) {
        return source.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 4);
    }
}
