package io.cpra.notify;

import io.cpra.config.NotifyConfig;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Sends one plain-text mail per alert over SMTP (Angus Mail), one connection per mail. Subject
 * {@code [CPRA] RED checkout-api FAILED}; the body has one {@code field: value} line per alert field, with
 * the names and order of a log line, fields that do not apply left out.
 *
 * <p>Connecting, each read and each write are bounded by the timeout, so a dead or stalled server costs one
 * failed delivery. With {@code starttls} the connection must be upgraded (a server not offering STARTTLS
 * fails the delivery) and the server's certificate and name are checked. With a {@code username} the
 * client authenticates (LOGIN or PLAIN, as offered). Errors name the step that failed and never carry
 * the password; a sender or recipient the server refuses for good (5xx) rejects the alert
 * ({@link UndeliverableException}), a 4xx refusal is retried.
 */
final class EmailNotifier implements Notifier {

    private final Session session;
    private final NotifyConfig.Email config;
    private final Address from;
    private final Address[] to;
    private final List<String> secrets;

    /** @param tls the socket factory for STARTTLS, or null for the JVM's default trust */
    EmailNotifier(NotifyConfig.Email config, Duration timeout, SSLSocketFactory tls) {
        this.config = config;
        this.secrets = Notifiers.secrets(config);
        try {
            this.from = new InternetAddress(config.from(), true);
            this.to = new Address[config.to().size()];
            for (int i = 0; i < to.length; i++) to[i] = new InternetAddress(config.to().get(i), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("email address " + e.getRef() + " is not valid: " + e.getMessage());
        }
        String millis = Long.toString(Math.max(1, timeout.toMillis()));
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", config.smtpHost());
        properties.setProperty("mail.smtp.port", Integer.toString(port(config)));
        properties.setProperty("mail.smtp.connectiontimeout", millis);
        properties.setProperty("mail.smtp.timeout", millis);
        properties.setProperty("mail.smtp.writetimeout", millis);
        properties.setProperty("mail.smtp.auth", Boolean.toString(config.username() != null));
        properties.setProperty("mail.smtp.starttls.enable", Boolean.toString(config.starttls()));
        properties.setProperty("mail.smtp.starttls.required", Boolean.toString(config.starttls()));
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        if (tls != null) properties.put("mail.smtp.ssl.socketFactory", tls);
        this.session = Session.getInstance(properties);
    }

    /** 25 when the config leaves the port out. */
    static int port(NotifyConfig.Email config) { return config.smtpPort() > 0 ? config.smtpPort() : 25; }

    @Override
    public void send(Alert alert) throws IOException {
        try (Transport transport = session.getTransport("smtp")) {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(from);
            mail.setRecipients(Message.RecipientType.TO, to);
            mail.setSubject(subject(alert), StandardCharsets.UTF_8.name());
            mail.setText(body(alert), StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date(alert.epochMillis()));
            transport.connect(config.smtpHost(), port(config), config.username(), config.password());
            transport.sendMessage(mail, to);
        } catch (MessagingException e) {
            throw permanent(e) ? new UndeliverableException(error(e)) : new IOException(error(e));
        }
    }

    /** A refused sender or recipient with a 5xx reply: no retry can fix it. A 4xx reply may pass. */
    private static boolean permanent(MessagingException e) {
        if (!(e instanceof SendFailedException)) return false;
        boolean permanent = true;
        for (Exception t = e; t != null; t = t instanceof MessagingException m ? m.getNextException() : null) {
            int code = switch (t) {
                case SMTPAddressFailedException address -> address.getReturnCode();
                case SMTPSendFailedException send -> send.getReturnCode();
                default -> 500;
            };
            permanent &= code >= 500;
        }
        return permanent;
    }

    /** For example {@code [CPRA] RED checkout-api FAILED}. */
    static String subject(Alert alert) {
        return "[CPRA] " + alert.colour().key().toUpperCase(Locale.ROOT) + " " + alert.monitor() + " " + alert.colour().status();
    }

    static String body(Alert alert) {
        StringBuilder body = new StringBuilder(512);
        line(body, "timestamp", AlertText.timestamp(alert));
        line(body, "monitor", alert.monitor());
        line(body, "job_id", Long.toString(alert.jobId()));
        line(body, "color", alert.colour().key());
        line(body, "status", alert.colour().status());
        line(body, "severity", alert.colour().severity());
        line(body, "summary", AlertText.summary(alert));
        line(body, "action", alert.action());
        line(body, "next_steps", AlertText.nextSteps(alert));
        line(body, "message", AlertText.message(alert));
        line(body, "incident_id", alert.incidentId());
        line(body, "error", alert.error());
        return body.toString();
    }

    private static void line(StringBuilder body, String name, String value) {
        if (value != null) body.append(name).append(": ").append(value.replace('\n', ' ').replace('\r', ' ')).append('\n');
    }

    /** One line naming what failed; nested causes folded in, the password masked. */
    private String error(MessagingException e) {
        StringBuilder text = new StringBuilder(Notifiers.describe(config)).append(" failed");
        // the server's own words are often in a nested exception ("Invalid Addresses" -> "550 5.1.1 ...")
        int depth = 0;
        for (Throwable t = e; t != null && depth < 4; t = t.getCause(), depth++) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            message = message.replaceAll("\\s+", " ").strip();
            if (text.indexOf(message) < 0) text.append(": ").append(message);
        }
        return Secrets.mask(text.toString(), secrets);
    }
}
