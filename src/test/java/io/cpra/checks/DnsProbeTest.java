package io.cpra.checks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.cpra.checks.Checks.dns;
import static io.cpra.checks.Checks.retries;
import static io.cpra.checks.Checks.run;
import static io.cpra.checks.Checks.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DNS checks against a small UDP DNS server on 127.0.0.1 that answers from a fixed zone. */
class DnsProbeTest {

    private static EventLoopGroup serverLoop;
    private static Channel server;
    private static String address;
    private static final AtomicInteger silentQueries = new AtomicInteger();
    private static NettyProbeFactory factory;

    @BeforeAll
    static void start() throws Exception {
        serverLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new Bootstrap().group(serverLoop).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Zone());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        address = "127.0.0.1:" + port;
        factory = new NettyProbeFactory(ProbeSettings.defaults().withIoThreads(1)
                .withNameServers(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))));
    }

    @AfterAll
    static void stop() {
        factory.close();
        server.close();
        serverLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The test zone: one name per case, the answer's type is the name's, whatever was asked. */
    private static final class Zone extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = question.name();
            if (name.equals("silent.test.")) {
                silentQueries.incrementAndGet();
                return;
            }
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, question.type()));
            switch (name) {
                case "a.test." -> {
                    answer(response, name, DnsRecordType.A, NetUtil.createByteArrayFromIpAddressString("10.0.0.1"));
                    answer(response, name, DnsRecordType.A, NetUtil.createByteArrayFromIpAddressString("10.0.0.2"));
                }
                case "v6.test." -> answer(response, name, DnsRecordType.AAAA, NetUtil.createByteArrayFromIpAddressString("::1"));
                case "alias.test." -> answer(response, name, DnsRecordType.CNAME, encodeName("target.test."));
                case "ns.test." -> answer(response, name, DnsRecordType.NS, encodeName("ns1.test."));
                case "mail.test." -> {
                    byte[] host = encodeName("mx1.test.");
                    byte[] mx = new byte[2 + host.length];
                    mx[1] = 10;
                    System.arraycopy(host, 0, mx, 2, host.length);
                    answer(response, name, DnsRecordType.MX, mx);
                }
                case "txt.test." -> {
                    byte[] text = "v=spf1 -all".getBytes(StandardCharsets.US_ASCII);
                    byte[] txt = new byte[1 + text.length];
                    txt[0] = (byte) text.length;
                    System.arraycopy(text, 0, txt, 1, text.length);
                    answer(response, name, DnsRecordType.TXT, txt);
                }
                case "broken.test." -> response.setCode(DnsResponseCode.SERVFAIL);
                default -> response.setCode(DnsResponseCode.NXDOMAIN);
            }
            ctx.writeAndFlush(response);
        }

        private static void answer(DatagramDnsResponse response, String name, DnsRecordType type, byte[] data) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(name, type, 60, Unpooled.wrappedBuffer(data)));
        }

        private static byte[] encodeName(String name) {
            ByteBuf b = Unpooled.buffer();
            for (String label : name.split("\\.")) {
                b.writeByte(label.length());
                b.writeCharSequence(label, StandardCharsets.US_ASCII);
            }
            b.writeByte(0);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        }
    }

    @ParameterizedTest(name = "{0} {1} expecting {2}")
    @CsvSource({
            "a.test,      A,     10.0.0.1",
            "a.test,      A,     10.0.0.2",
            "v6.test,     AAAA,  0:0:0:0:0:0:0:1",
            "alias.test,  CNAME, TARGET.test.",
            "mail.test,   MX,    mx1.test",
            "txt.test,    TXT,   v=spf1 -all",
            "ns.test,     NS,    ns1.test",
    })
    void answersContainTheExpectedValue(String name, String type, String expected) {
        CheckJob job = run(factory.prepare(dns(name, type, address, List.of(expected), 1000)));

        assertThat(job.error).isNull();
        assertThat(job.success).isTrue();
    }

    @Test
    void noExpectationMeansNoErrorIsEnough() {
        assertThat(run(factory.prepare(dns("a.test", "a", address, List.of(), 1000))).error).isNull();
    }

    @Test
    void expectedValueMissingFromTheAnswersIsNamed() {
        CheckJob job = run(factory.prepare(dns("a.test", "A", address, List.of("10.0.0.1", "10.0.0.9"), 1000)));

        assertThat(job.success).isFalse();
        assertThat(job.error).isEqualTo("expected 10.0.0.9 not in [10.0.0.1, 10.0.0.2]");
    }

    @Test
    void rcodesOtherThanNoErrorFail() {
        assertThat(run(factory.prepare(dns("missing.test", "A", address, List.of(), 1000))).error).isEqualTo("NXDOMAIN");
        assertThat(run(factory.prepare(dns("broken.test", "A", address, List.of(), 1000))).error).isEqualTo("SERVFAIL");
    }

    @Test
    void aConditionOnTheRcodeReplacesTheNoErrorRule() {
        CheckJob gone = run(factory.prepare(when(dns("missing.test", "A", address, List.of(), 1000), "[DNS_RCODE] == NXDOMAIN")));
        CheckJob present = run(factory.prepare(when(dns("a.test", "A", address, List.of(), 1000), "[DNS_RCODE] == NXDOMAIN")));

        assertThat(gone.error).isNull();
        assertThat(present.error).isEqualTo("condition [DNS_RCODE] == NXDOMAIN failed: rcode was NOERROR");
    }

    @Test
    void conditionsSeeTheFirstAnswerAsBody() {
        {
            CheckJob first = run(factory.prepare(when(dns("a.test", "A", address, List.of(), 1000), "[BODY] == 10.0.0.1", "[RESPONSE_TIME] < 5000")));
            CheckJob other = run(factory.prepare(when(dns("a.test", "A", address, List.of(), 1000), "[BODY] == 10.0.0.2")));

            assertThat(first.error).isNull();
            assertThat(other.error).isEqualTo("condition [BODY] == 10.0.0.2 failed: body was \"10.0.0.1\"");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutOnEveryAttempt() {
        int before = silentQueries.get();
        CheckJob job = run(factory.prepare(retries(dns("silent.test", "A", address, List.of(), 300), 1)));

        assertThat(job.success).isFalse();
        assertThat(job.error).isEqualTo("timeout after 300ms");
        assertThat(silentQueries.get() - before).isEqualTo(2);
    }

    @Test
    void withoutAServerTheConfiguredNameServersAreAsked() {
        assertThat(run(factory.prepare(dns("a.test", "A", null, List.of("10.0.0.2"), 1000))).error).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "10.0.0.53,        10.0.0.53, 53",
            "10.0.0.53:5353,   10.0.0.53, 5353",
            "'[::1]:5300',     0:0:0:0:0:0:0:1, 5300",
            "::1,              0:0:0:0:0:0:0:1, 53",
            "'[::1]',          0:0:0:0:0:0:0:1, 53",
            "localhost:54,     127.0.0.1, 54",
    })
    void serverAddressesParse(String spec, String host, int port) {
        InetSocketAddress address = DnsProbe.server(spec);

        assertThat(address.getAddress().getHostAddress()).isEqualTo(host);
        assertThat(address.getPort()).isEqualTo(port);
    }

    @Test
    void badSpecsAreRejectedAtPrepare() {
        assertThatThrownBy(() -> factory.prepare(dns("a.test", "SRVX", address, List.of(), 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported DNS record type 'SRVX'");
        assertThatThrownBy(() -> factory.prepare(dns("a.test", "A", "127.0.0.1:99999", List.of(), 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad DNS server");
        assertThatThrownBy(() -> factory.prepare(when(dns("a.test", "A", address, List.of(), 1000), "[DNS_RCODE] == NOPE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown DNS rcode 'NOPE'");
    }
}
