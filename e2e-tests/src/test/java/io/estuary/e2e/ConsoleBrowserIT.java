package io.estuary.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.jcajce.JcaHttpAuthBuilder;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

import io.estuary.testkit.TestCsrs;

/**
 * The console in a real browser (Debian's headless Chromium) against the running stack: sign-in through Keycloak's
 * own login page, the fleet counts as the renewal API gives them after a few enrollments, a device's certificates,
 * the audit search, and an auditor who is offered no revoke button and whose forged revocation the renewal API
 * refuses. Screenshots go to target/screenshots.
 */
@ExtendWith(SharedServices.class)
class ConsoleBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final String LABEL = "device-identity";

    private static Path state;
    private static String console;
    private static String renewal;
    private static final List<String> devices = new ArrayList<>();
    private static final Map<String, String> serials = new HashMap<>();
    private WebDriver browser;

    @BeforeAll
    static void startServicesAndEnroll() throws Exception {
        if (Security.getProvider("BC") == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        state = LocalStack.state();
        LocalStack.script("services-up");
        console = "http://127.0.0.1:" + LocalStack.env("ESTUARY_CONSOLE_PORT");
        renewal = "http://127.0.0.1:" + LocalStack.env("ESTUARY_RENEWAL_PORT");
        Files.createDirectories(SCREENSHOTS);
        // A few devices enrolled with the demo credential, then tracked by the renewal scheduler.
        X509Certificate anchor;
        try (var in = Files.newInputStream(state.resolve("pki/tls-trust-anchor.pem"))) {
            anchor = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(anchor, null)), null);
        ESTService est = new JsseESTServiceBuilder("localhost:" + LocalStack.env("ESTUARY_EST_PORT"), trust)
                .withLabel(LABEL).build();
        String password = Files.readString(state.resolve("secrets/demo-password")).strip();
        String run = Long.toString(System.currentTimeMillis());
        for (int i = 0; i < 3; i++) {
            String device = "console-" + run + "-" + i;
            KeyPair key = TestCsrs.ecP256();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=" + device), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            X509Certificate issued = new JcaX509CertificateConverter().getCertificate(ESTService.storeToArray(
                    est.simpleEnroll(false, csr, new JcaHttpAuthBuilder("estuary", "estuary-demo",
                            password.toCharArray()).build()).getStore())[0]);
            devices.add(device);
            serials.put(device, issued.getSerialNumber().toString(16));
        }
        String operator = LocalStack.bearerToken("operator");
        for (String device : devices) {
            LocalStack.awaitJson(renewal + "/renewals/devices/" + device + "/history", operator, WAIT,
                    node -> node.size() == 1);
        }
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorSeesTheFleetAsTheRenewalApiCountsItAndOpensADevice() throws Exception {
        browser = HeadlessChromium.start(WAIT);
        signIn("operator");
        assertTokenNowhereInTheBrowser();

        // The fleet counts: the page's table is the renewal API's summary, label by label (read again until both
        // agree: the tracker may still be catching up on enrollments of earlier tests).
        Instant deadline = Instant.now().plus(WAIT);
        Map<String, List<Long>> shown;
        Map<String, List<Long>> counted;
        do {
            browser.get(console + "/fleet");
            await(By.id("fleet-counts"));
            shown = countsOnPage();
            counted = countsFromApi();
        } while (!shown.equals(counted) && Instant.now().isBefore(deadline));
        assertEquals(counted, shown);
        assertTrue(shown.get(LABEL).get(0) >= devices.size(), shown.toString());
        assertTrue(browser.findElement(By.id("expiry-calendar")).findElements(By.cssSelector("td[data-day]"))
                .size() == 90, "the heat map shows 90 days");
        screenshot("fleet");

        // A device from the search box: its certificate, and the revoke button (the operator has the revoker role).
        String device = devices.get(0);
        browser.findElement(By.id("find-device")).sendKeys(device);
        browser.findElement(By.cssSelector("form.find button")).click();
        await(By.id("certificates"));
        assertEquals(device, browser.findElement(By.id("device-id")).getText());
        assertEquals(1, browser.findElements(By.cssSelector("#certificates tr[data-serial='"
                + serials.get(device) + "']")).size(), browser.getPageSource());
        assertEquals(1, browser.findElements(By.id("revoke")).size(), "an operator is offered the revoke button");
        // The operator account has no auditor role: the audit section says so instead of showing records.
        assertTrue(browser.findElement(By.id("records-problem")).getText().contains("403"));
        screenshot("device-operator");

        // Revoking from the console: the button, the reason, the renewal API's answer; the API then has it.
        String revoked = devices.get(2);
        browser.get(console + "/devices/" + revoked);
        await(By.id("revoke")).click();
        new org.openqa.selenium.support.ui.Select(await(By.id("reason"))).selectByValue("cessationOfOperation");
        browser.findElement(By.id("confirm-revoke")).click();
        assertTrue(await(By.id("revocation-done")).getText().startsWith("Revoked"), browser.getPageSource());
        HttpResponse<String> again = revokeThroughApi(revoked);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("cessationOfOperation"), again.body());

        // The CAs: the stack's CA with its key type (from EST /cacerts) and the profiles using it.
        browser.findElement(By.id("nav-cas")).click();
        await(By.cssSelector("section.ca"));
        String cas = browser.findElement(By.tagName("main")).getText();
        assertTrue(cas.contains(LocalStack.env("ESTUARY_CA_ALIAS")), cas);
        assertTrue(cas.contains("EC P-256"), cas);
        screenshot("cas");
    }

    @Test
    void anAuditorSearchesTheTrailIsOfferedNoRevocationAndAForgedOneIsRefused() throws Exception {
        browser = HeadlessChromium.start(WAIT);
        signIn("auditor");
        String device = devices.get(1);

        // The search: the device's issuance, once the audit trail has settled it.
        Instant deadline = Instant.now().plus(WAIT);
        List<WebElement> rows;
        do {
            browser.get(console + "/audit");
            await(By.id("audit-search"));
            browser.findElement(By.id("q-device")).sendKeys(device);
            new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("q-outcome")))
                    .selectByValue("ISSUED");
            WebElement search = browser.findElement(By.id("q-search"));
            search.click();
            // Both pages have the same parts: until the search page is gone, they would be read off it.
            new WebDriverWait(browser, WAIT).until(HeadlessChromium.gone(search));
            await(By.tagName("main"));
            rows = browser.findElements(By.cssSelector("#audit-records tbody tr"));
        } while (rows.isEmpty() && Instant.now().isBefore(deadline));
        assertEquals(1, rows.size(), browser.getPageSource());
        assertEquals("ISSUED", rows.get(0).findElement(By.cssSelector("td.outcome")).getText());
        assertTrue(rows.get(0).getText().contains(serials.get(device)), rows.get(0).getText());
        assertTrue(browser.findElement(By.id("export-csv")).getAttribute("href")
                .contains("device=" + URLEncoder.encode(device, StandardCharsets.UTF_8)));
        screenshot("audit");

        // The CSV export streams through the console with the auditor's token.
        HttpResponse<String> csv = withSession(HttpRequest.newBuilder(URI.create(
                browser.findElement(By.id("export-csv")).getAttribute("href"))).GET());
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().contains(serials.get(device)), csv.body());

        browser.findElement(By.id("verify-chain")).click();
        await(By.id("chain-valid"));

        // The device page: audit records, no revoke button; certificates need the operator role.
        browser.get(console + "/devices/" + device);
        await(By.id("device-id"));
        assertEquals(0, browser.findElements(By.id("revoke")).size(), "an auditor is offered no revoke button");
        assertFalse(browser.findElements(By.cssSelector("#audit-records tbody tr")).isEmpty());
        screenshot("device-auditor");

        // A forged revocation with the auditor's own session and a valid CSRF token: the console passes it on, the
        // renewal API refuses the auditor's token, and the console answers with that refusal.
        String csrf = browser.findElement(By.cssSelector("form.signout input[type=hidden]")).getAttribute("value");
        String revocations = console + "/devices/" + device + "/revocations";
        HttpResponse<String> forged = withSession(HttpRequest.newBuilder(URI.create(revocations))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf-token=" + URLEncoder.encode(csrf,
                        StandardCharsets.UTF_8) + "&reason=keyCompromise")));
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("revocation-refused"), forged.body());
        // Without the CSRF token the form is refused before anything is called.
        HttpResponse<String> noToken = withSession(HttpRequest.newBuilder(URI.create(revocations))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=keyCompromise")));
        assertEquals(400, noToken.statusCode(), noToken.body());
        // Nothing was revoked: the operator's revocation of the device is the first (201, not 200 "already").
        assertEquals(201, revokeThroughApi(device).statusCode());
        HttpResponse<String> page = withSession(HttpRequest.newBuilder(URI.create(console + "/fleet")).GET());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"), policy);

        // Signing out ends the session: the console asks for the sign-in again.
        browser.get(console + "/audit");
        await(By.id("sign-out")).click();
        await(By.id("signed-out"));
        browser.get(console + "/fleet");
        await(By.id("username"));
    }

    /** Keycloak's own login page, reached by opening the console. */
    private void signIn(String role) throws Exception {
        browser.get(console + "/fleet");
        await(By.id("username")).sendKeys("estuary-" + role);
        browser.findElement(By.id("password"))
                .sendKeys(Files.readString(state.resolve("secrets/" + role + "-password")).strip());
        browser.findElement(By.id("kc-login")).click();
        await(By.id("who"));
        assertTrue(browser.getCurrentUrl().startsWith(console), browser.getCurrentUrl());
        assertTrue(browser.findElement(By.id("who")).getText().contains("estuary-" + role));
    }

    /** The tokens stay in the server's session cookie: not in the address, not in the browser's storage. */
    private void assertTokenNowhereInTheBrowser() {
        String url = browser.getCurrentUrl();
        assertFalse(url.contains("code=") || url.contains("token"), url);
        JavascriptExecutor script = (JavascriptExecutor) browser;
        assertEquals(0L, script.executeScript("return window.localStorage.length + window.sessionStorage.length"));
    }

    private static HttpResponse<String> revokeThroughApi(String device) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(renewal + "/revocations"))
                .header("Authorization", "Bearer " + LocalStack.bearerToken("operator"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + device + "\",\"reason\":\"1\"}"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, List<Long>> countsOnPage() {
        Map<String, List<Long>> counts = new HashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#fleet-counts tbody tr"))) {
            counts.put(row.getAttribute("data-label"), List.of(number(row, "tracked"), number(row, "due"),
                    number(row, "overdue"), number(row, "expired")));
        }
        return counts;
    }

    private static Map<String, List<Long>> countsFromApi() throws Exception {
        JsonNode summary = LocalStack.awaitJson(renewal + "/renewals/summary", LocalStack.bearerToken("operator"),
                WAIT, node -> true);
        Map<String, List<Long>> counts = new HashMap<>();
        for (JsonNode label : summary.get("labels")) {
            String name = label.get("label").asText().isEmpty() ? "default" : label.get("label").asText();
            counts.put(name, List.of(label.get("tracked").asLong(), label.get("due").asLong(),
                    label.get("overdue").asLong(), label.get("expired").asLong()));
        }
        return counts;
    }

    private static long number(WebElement row, String column) {
        return Long.parseLong(row.findElement(By.cssSelector("td." + column)).getText().strip());
    }

    /** A request carrying the browser's session cookies: what a forged request from the same session looks like. */
    private HttpResponse<String> withSession(HttpRequest.Builder request) throws Exception {
        String cookies = browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build()
                .send(request.header("Cookie", cookies).timeout(Duration.ofSeconds(120)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for the element; if it never comes, fails with where the browser is and what it shows. */
    private WebElement await(By locator) throws Exception {
        try {
            return new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(locator));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-waiting");
            String shown = browser.findElement(By.tagName("body")).getText();
            throw new AssertionError("no " + locator + " within " + WAIT + " at " + browser.getCurrentUrl()
                    + "; the page shows: " + shown.substring(0, Math.min(shown.length(), 2000)), e);
        }
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
