package io.cpra.checks;

import io.cpra.checks.conditions.Expiry;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.io.IOException;

/**
 * The client side of TLS for HTTPS and TLS checks: JDK TLS that verifies the chain and the host name, with
 * the JDK trust store or a PEM file of CAs, and certificate expiry read from the peer's chain.
 */
final class ClientTls {

    /** No certificate (plain connection, or the session had none). */
    static final long NO_EXPIRY = Long.MIN_VALUE;

    private ClientTls() {}

    static SslContext context(Path trustedCertificates) {
        try {
            return SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .trustManager(new ExpiryNamingTrustManager(delegate(trustedCertificates)))
                    .build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Earliest expiry (epoch ms) among the certificates the peer presented that are still valid: an extra,
     * already expired certificate that validation did not need (an old cross-signed root) does not count.
     */
    static long earliestExpiry(SSLSession session, long nowMillis) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return NO_EXPIRY;
        }
        long earliest = NO_EXPIRY;
        for (Certificate c : chain) {
            if (!(c instanceof X509Certificate x)) continue;
            long notAfter = x.getNotAfter().getTime();
            if (notAfter >= nowMillis && (earliest == NO_EXPIRY || notAfter < earliest)) earliest = notAfter;
        }
        return earliest;
    }

    private static X509ExtendedTrustManager delegate(Path pem) throws IOException, GeneralSecurityException {
        KeyStore store = null;
        if (pem != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            try (InputStream in = Files.newInputStream(pem)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + n++, c);
                }
            }
            if (n == 0) throw new GeneralSecurityException("no certificate in " + pem);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /**
     * Delegates every decision to the JDK's trust manager (host name checks included) and also rejects an
     * expired or not yet valid leaf; a chain rejected because its leaf expired reads "certificate expired 3
     * days ago" instead of the PKIX wording.
     */
    private static final class ExpiryNamingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        ExpiryNamingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(chain, () -> delegate.checkServerTrusted(chain, authType));
        }

        /** One of the delegate's checkServerTrusted variants. */
        @FunctionalInterface
        private interface DelegateCheck {
            void run() throws CertificateException;
        }

        private static void verify(X509Certificate[] chain, DelegateCheck delegateCheck) throws CertificateException {
            try {
                delegateCheck.run();
            } catch (CertificateException e) {
                throw clearer(chain, e);
            }
            requireCurrentLeaf(chain);
        }

        /** The JDK skips validity checks for a leaf that is itself trusted (a pinned self-signed certificate). */
        private static void requireCurrentLeaf(X509Certificate[] chain) throws CertificateException {
            long now = System.currentTimeMillis();
            if (chain[0].getNotAfter().getTime() < now) {
                throw new CertificateExpiredException(Expiry.describe(chain[0].getNotAfter().getTime() - now));
            }
            if (chain[0].getNotBefore().getTime() > now) {
                throw new CertificateNotYetValidException("certificate not valid before " + chain[0].getNotBefore().toInstant());
            }
        }

        private static CertificateException clearer(X509Certificate[] chain, CertificateException e) {
            if (chain == null || chain.length == 0) return e;
            long now = System.currentTimeMillis();
            long leafRemaining = chain[0].getNotAfter().getTime() - now;
            if (leafRemaining >= 0) return e;
            CertificateExpiredException expired = new CertificateExpiredException(Expiry.describe(leafRemaining));
            expired.addSuppressed(e);
            return expired;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
