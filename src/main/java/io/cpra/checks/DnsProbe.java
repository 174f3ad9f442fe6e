package io.cpra.checks;

import io.cpra.checks.conditions.ConditionSet;
import io.cpra.checks.conditions.Placeholder;
import io.cpra.checks.conditions.ResultView;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One DNS question to a given server (or the system's): success when the answer's RCODE is NOERROR and
 * every {@code expected} value is among the answers (an address, a CNAME/NS/MX host, a TXT text), then every
 * condition. A condition on {@code [DNS_RCODE]} replaces the NOERROR rule ({@code [DNS_RCODE] == NXDOMAIN}
 * asserts a name is gone). For conditions, {@code [BODY]} is the first answer, as in Gatus.
 */
final class DnsProbe extends AttemptingProbe {

    static final Map<String, DnsRecordType> RECORD_TYPES = Map.of("A", DnsRecordType.A, "AAAA", DnsRecordType.AAAA,
            "CNAME", DnsRecordType.CNAME, "MX", DnsRecordType.MX, "TXT", DnsRecordType.TXT, "NS", DnsRecordType.NS,
            "PTR", DnsRecordType.PTR);
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
            "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
    private static final int MAX_LABELS = 128;

    private final DnsNameResolver resolver;
    private final EventLoop loop;
    private final DnsQuestion question;
    /** Null: the resolver's own name servers (settings, else /etc/resolv.conf). */
    private final InetSocketAddress server;
    private final List<String> expected;
    private final boolean rcodeRule;

    DnsProbe(DnsNameResolver resolver, EventLoop loop, String name, String recordType, InetSocketAddress server,
             List<String> expected, long timeoutNanos, int retries, ConditionSet conditions) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("dns check needs a name");
        String typeName = recordType == null || recordType.isBlank() ? "A" : recordType.toUpperCase(Locale.ROOT);
        DnsRecordType type = RECORD_TYPES.get(typeName);
        if (type == null) {
            throw new IllegalArgumentException("unsupported DNS record type '" + recordType + "' (supported: A, AAAA, CNAME, MX, TXT, NS, PTR)");
        }
        super(timeoutNanos, retries, conditions);
        this.resolver = resolver;
        this.loop = loop;
        this.question = new DefaultDnsQuestion(name.endsWith(".") ? name : name + ".", type);
        this.server = server;
        this.expected = type == DnsRecordType.TXT ? List.copyOf(expected) : expected.stream().map(DnsProbe::normalize).toList();
        this.rcodeRule = !conditions.mentions(Placeholder.DNS_RCODE);
    }

    /** "10.0.0.53", "10.0.0.53:5353", "[::1]:53", "dns.internal": a server address, default port 53. */
    static InetSocketAddress server(String spec) {
        String host = spec.strip();
        int port = 53;
        int colon = host.lastIndexOf(':');
        boolean bracketed = host.startsWith("[");
        if (colon > 0 && (bracketed ? host.indexOf(']') < colon : host.indexOf(':') == colon)) {
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad DNS server port in '" + spec + "'");
            }
            host = host.substring(0, colon);
        }
        if (bracketed) host = host.substring(1, host.length() - 1);
        if (host.isEmpty() || port < 1 || port > 65535) throw new IllegalArgumentException("bad DNS server '" + spec + "'");
        InetSocketAddress address = HttpTarget.address(host, port);
        if (!address.isUnresolved()) return address;
        InetSocketAddress resolved = new InetSocketAddress(host, port); // once, at load time
        if (resolved.isUnresolved()) throw new IllegalArgumentException("unknown DNS server host " + host);
        return resolved;
    }

    @Override
    CheckRun newRun(CheckJob job, CheckSink sink) {
        return new Run(job, sink);
    }

    private final class Run extends CheckRun {
        private Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query;

        Run(CheckJob job, CheckSink sink) {
            super(job, sink, DnsProbe.this.loop, DnsProbe.this);
        }

        @Override
        protected void beginAttempt() {
            phase = Phase.QUERY;
            int a = attempt;
            query = server == null ? resolver.query(question) : resolver.query(server, question);
            query.addListener(f -> onAnswer(query(f), a));
        }

        @SuppressWarnings("unchecked")
        private static Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> query(Future<?> f) {
            return (Future<AddressedEnvelope<DnsResponse, InetSocketAddress>>) f;
        }

        private void onAnswer(Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f, int a) {
            if (f.isCancelled()) return; // our own abort
            if (!f.isSuccess()) {
                if (isCurrent(a)) attemptFailed(a, 0, f.cause() instanceof DnsNameResolverTimeoutException
                        ? timeoutReasons[Phase.QUERY.ordinal()] : Failures.describe(f.cause(), "unknown DNS server"));
                return;
            }
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = f.getNow();
            try {
                if (isCurrent(a)) judge(envelope.content(), a);
            } finally {
                envelope.release();
            }
        }

        private void judge(DnsResponse response, int a) {
            query = null;
            int code = response.code().intValue();
            String rcode = code < RCODES.length ? RCODES[code] : "RCODE " + code;
            List<String> answers = answers(response);
            String failure = rcodeRule && code != 0 ? rcode : missing(answers);
            if (failure == null && !conditions.isEmpty()) {
                ResultView view = connectedView();
                view.dnsRcode(rcode);
                view.body(answers.isEmpty() ? "" : answers.getFirst());
                failure = conditions.firstFailure(view);
            }
            conclude(a, failure);
        }

        @Override
        protected void abortAttempt() {
            Future<?> q = query;
            query = null;
            if (q != null) q.cancel(false);
        }
    }

    /** "expected 10.0.0.1 not in [10.0.0.2]" for the first expected value the answers lack, else null. */
    private String missing(List<String> answers) {
        for (String e : expected) {
            if (!answers.contains(e)) return "expected " + e + " not in " + answers;
        }
        return null;
    }

    /** The answer section as text: addresses, host names (lower case, no final dot), TXT strings joined. */
    static List<String> answers(DnsResponse response) {
        int n = response.count(DnsSection.ANSWER);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            String text = switch (record) {
                case DnsPtrRecord ptr -> normalize(ptr.hostname());
                case DnsRawRecord raw -> decode(raw.type(), raw.content());
                default -> null;
            };
            if (text != null) out.add(text);
        }
        return out;
    }

    private static String decode(DnsRecordType type, ByteBuf content) {
        int at = content.readerIndex();
        int length = content.readableBytes();
        if (type == DnsRecordType.A || type == DnsRecordType.AAAA) {
            if (length != 4 && length != 16) return null;
            byte[] address = new byte[length];
            content.getBytes(at, address);
            return NetUtil.bytesToIpAddress(address);
        }
        if (type == DnsRecordType.CNAME || type == DnsRecordType.NS) return name(content, at);
        if (type == DnsRecordType.MX) return length > 2 ? name(content, at + 2) : null;
        if (type == DnsRecordType.TXT) {
            StringBuilder b = new StringBuilder();
            for (int i = at, end = at + length; i < end; ) {
                int len = content.getUnsignedByte(i++);
                if (i + len > end) return null;
                b.append(content.toString(i, len, StandardCharsets.UTF_8));
                i += len;
            }
            return b.toString();
        }
        return null;
    }

    /** A domain name at {@code index}; Netty's decoder has already expanded CNAME, NS and MX names. */
    private static String name(ByteBuf buf, int index) {
        StringBuilder b = new StringBuilder();
        int i = index;
        for (int labels = 0; labels < MAX_LABELS; labels++) {
            if (i < 0 || i >= buf.writerIndex()) return null;
            int len = buf.getUnsignedByte(i);
            if ((len & 0xC0) != 0) return null;
            if (len == 0) return normalize(b.toString());
            if (i + 1 + len > buf.writerIndex()) return null;
            if (!b.isEmpty()) b.append('.');
            b.append(buf.toString(i + 1, len, StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        return null;
    }

    /** Names compare without case or the final dot; IP addresses in their canonical text. */
    static String normalize(String value) {
        String v = value.strip();
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(v);
        if (ip != null) return NetUtil.bytesToIpAddress(ip);
        if (v.endsWith(".")) v = v.substring(0, v.length() - 1);
        return v.toLowerCase(Locale.ROOT);
    }
}
