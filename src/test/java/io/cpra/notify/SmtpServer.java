package io.cpra.notify;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal real SMTP server on 127.0.0.1 for tests: EHLO/HELO, STARTTLS (when given a TLS context),
 * AUTH PLAIN and LOGIN (when given credentials; mail is refused until authenticated), MAIL FROM, RCPT TO,
 * DATA, RSET, NOOP, QUIT. Refuses recipients named nobody@ for good, later@ for now. Records each accepted mail. A failed login is answered with the credentials it
 * got, as a careless server might, so tests can check they are masked. {@link #silent} accepts connections
 * and never says a word.
 */
final class SmtpServer implements AutoCloseable {

    record Mail(String from, List<String> recipients, String data, boolean tls, String user) {
        /** The header value, unfolded. */
        String header(String name) {
            String head = data.substring(0, Math.max(0, data.indexOf("\r\n\r\n"))).replace("\r\n ", " ").replace("\r\n\t", " ");
            for (String line : head.split("\r\n"))
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return line.substring(name.length() + 1).strip();
            return null;
        }

        List<String> bodyLines() { return List.of(data.substring(data.indexOf("\r\n\r\n") + 4).split("\r\n")); }
    }

    final List<Mail> received = new CopyOnWriteArrayList<>();
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final SSLContext tls;
    private final String user;
    private final String password;
    private final String mechanisms;
    private final boolean silent;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    /**
     * @param tls        offers STARTTLS with it, or null
     * @param user       required login, or null for none
     * @param mechanisms AUTH mechanisms advertised, such as "PLAIN LOGIN"
     */
    SmtpServer(SSLContext tls, String user, String password, String mechanisms, boolean silent) throws IOException {
        this(tls, user, password, mechanisms, silent, 0);
    }

    /** @param port a fixed port (a test brings a server up where a client already tries), 0 for any */
    SmtpServer(SSLContext tls, String user, String password, String mechanisms, boolean silent, int port) throws IOException {
        this.server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        this.tls = tls;
        this.user = user;
        this.password = password;
        this.mechanisms = mechanisms;
        this.silent = silent;
        Thread.ofVirtual().name("smtp-accept").start(this::accept);
    }

    int port() { return server.getLocalPort(); }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().name("smtp-session").start(() -> session(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void session(Socket socket) {
        if (silent) return; // the socket stays open until close()
        try (Socket s = socket) {
            new Session(s).run();
        } catch (IOException e) {
            // the client hung up
        }
    }

    private final class Session {
        Socket socket;
        BufferedReader in;
        OutputStream out;
        boolean secure;
        String authenticated;
        String from;
        List<String> recipients = new ArrayList<>();

        Session(Socket socket) throws IOException { use(socket); }

        void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            out = s.getOutputStream();
        }

        void reply(String... lines) throws IOException {
            StringBuilder text = new StringBuilder();
            for (String line : lines) text.append(line).append("\r\n");
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void run() throws IOException {
            reply("220 test.local ESMTP");
            for (String line; (line = in.readLine()) != null; ) {
                commands.add(line.startsWith("AUTH") ? line.split(" ")[0] + " " + line.split(" ")[1] : line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> {
                        List<String> lines = new ArrayList<>(List.of("250-test.local"));
                        if (tls != null && !secure) lines.add("250-STARTTLS");
                        if (user != null) lines.add("250-AUTH " + mechanisms);
                        lines.add("250 8BITMIME");
                        reply(lines.toArray(String[]::new));
                    }
                    case "HELO", "NOOP" -> reply("250 ok");
                    case "RSET" -> { from = null; recipients = new ArrayList<>(); reply("250 ok"); }
                    case "STARTTLS" -> {
                        if (tls == null || secure) { reply("502 not offered"); continue; }
                        reply("220 go ahead");
                        SSLSocket upgraded = (SSLSocket) tls.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
                        upgraded.setUseClientMode(false);
                        upgraded.startHandshake();
                        use(upgraded);
                        secure = true;
                    }
                    case "AUTH" -> auth(line.split(" "));
                    case "MAIL" -> {
                        if (user != null && authenticated == null) { reply("530 5.7.0 authentication required"); continue; }
                        from = address(line);
                        reply("250 ok");
                    }
                    case "RCPT" -> {
                        String to = address(line);
                        if (to.startsWith("nobody@")) { reply("550 5.1.1 no such mailbox"); continue; }
                        if (to.startsWith("later@")) { reply("451 4.3.0 try again later"); continue; }
                        recipients.add(to);
                        reply("250 ok");
                    }
                    case "DATA" -> {
                        reply("354 end with .");
                        StringBuilder data = new StringBuilder();
                        for (String l; (l = in.readLine()) != null && !l.equals("."); )
                            data.append(l.startsWith(".") ? l.substring(1) : l).append("\r\n");
                        received.add(new Mail(from, List.copyOf(recipients), data.toString(), secure, authenticated));
                        reply("250 queued");
                    }
                    case "QUIT" -> { reply("221 bye"); return; }
                    default -> reply("502 unknown command");
                }
            }
        }

        void auth(String[] words) throws IOException {
            String mechanism = words[1].toUpperCase(Locale.ROOT);
            String name, secret;
            if (mechanism.equals("PLAIN")) {
                String encoded = words.length > 2 ? words[2] : prompt("");
                String[] parts = decode(encoded).split("\0", -1);
                name = parts[1];
                secret = parts[2];
            } else if (mechanism.equals("LOGIN")) {
                name = decode(words.length > 2 ? words[2] : prompt("VXNlcm5hbWU6"));
                secret = decode(prompt("UGFzc3dvcmQ6"));
            } else {
                reply("504 unknown mechanism");
                return;
            }
            if (name.equals(user) && secret.equals(password)) {
                authenticated = name;
                reply("235 2.7.0 authenticated");
            } else {
                reply("535 5.7.8 authentication failed for " + name + " with " + secret);
            }
        }

        String prompt(String challenge) throws IOException {
            reply("334 " + challenge);
            return in.readLine();
        }
    }

    private static String decode(String base64) { return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8); }

    private static String address(String line) { return line.substring(line.indexOf('<') + 1, line.indexOf('>')); }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
