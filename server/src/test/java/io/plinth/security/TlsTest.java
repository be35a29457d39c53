package io.plinth.security;

import static io.plinth.support.StandaloneApps.newDataDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plinth.support.StandaloneApps;
import io.plinth.support.TestCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTPS as the README documents it: a PKCS12 keystore through a Spring Boot SSL bundle. The test makes its own
 * certificate with the JDK's keytool, trusts exactly it, and checks HSTS and the Secure session cookie; plain HTTP on
 * the port is refused, since the port speaks TLS only.
 */
class TlsTest {

    static final String STORE_PASSWORD = "test-keystore-password";

    @Test
    void servesHttpsWithHstsAndSecureCookiesAndRefusesPlainHttp() throws Exception {
        io.plinth.support.SecretsLedger.record(STORE_PASSWORD);
        Path dir = newDataDir("tls-");
        Path keystore = dir.resolve("plinth.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "plinth", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        try (ConfigurableApplicationContext app = StandaloneApps.start(dir.resolve("data"),
                "--plinth.events.enabled=false",
                "--server.ssl.bundle=plinth",
                "--spring.ssl.bundle.jks.plinth.keystore.location=file:" + keystore.toAbsolutePath(),
                "--spring.ssl.bundle.jks.plinth.keystore.password=" + STORE_PASSWORD,
                "--spring.ssl.bundle.jks.plinth.keystore.type=PKCS12")) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Strict-Transport-Security")).hasValueSatisfying(value ->
                    assertThat(value).contains("max-age=31536000").contains("includeSubDomains"));
            assertThat(health.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(value ->
                    assertThat(value).contains("frame-ancestors 'none'"));
            assertThat(health.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

            HttpResponse<String> login = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/api/v1/_auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"admin\", \"password\": \""
                            + TestCredentials.ADMIN_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                    assertThat(cookie).contains("Secure").contains("HttpOnly"));

            // Plain HTTP on the same port is not served: Tomcat answers 400 and nothing reaches Plinth.
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + port + "/api/v1/entities")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(400);
            assertThat(plain.body()).doesNotContain("field1");
            // And a client that does not trust the certificate refuses the connection.
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
