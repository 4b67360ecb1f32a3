package io.clipstream.it;

import com.sun.net.httpserver.HttpServer;
import io.clipstream.config.Settings;
import io.clipstream.embedded.DemoCorpus;
import io.clipstream.embedded.EmbeddedDemo;
import io.clipstream.schema.ImageEvent;
import io.clipstream.schemaregistry.HttpSchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryClient;
import io.clipstream.schemaregistry.SchemaRegistryConfig;
import io.clipstream.serde.AvroSerdes;
import io.clipstream.testing.Await;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page against a service that requires a bearer token: the page itself still loads, an API
 * call without the token says to paste one, and with the token pasted, searches work and
 * thumbnails load (fetched with the token, since an img tag cannot send one), including an image
 * indexed by URL, whose thumbnail endpoint redirects to its source.
 */
class WebPageWithTokenBrowserTest {

    static final String TOKEN = "web-page-test-token-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    static HeadlessChromium chromium;
    static ChromeDriver browser;
    static HttpServer source;
    static String sourceUrl;
    static EmbeddedDemo demo;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver;
        byte[] png = DemoCorpus.image(DemoCorpus.items().get(1));
        source = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        source.createContext("/remote.png", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        source.start();
        sourceUrl = "http://127.0.0.1:" + source.getAddress().getPort() + "/remote.png";

        port = Rest.freePort();
        demo = EmbeddedDemo.start(Path.of("target", "it", "web-token-" + UUID.randomUUID()),
                Map.of(Settings.HTTP_PORT.key(), Integer.toString(port), Settings.MODEL_DIR.key(), "models/fixture-tiny",
                        Settings.HTTP_HOST.key(), "127.0.0.1", Settings.HTTP_AUTH_TOKEN.key(), TOKEN,
                        Settings.FETCH_ALLOW_PRIVATE.key(), "true"));
        demo.awaitReady(WAIT);
        demo.publishCorpus();
        try (SchemaRegistryClient client = new HttpSchemaRegistryClient(SchemaRegistryConfig.of(demo.schemaRegistryUrl()));
             KafkaProducer<String, ImageEvent> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     demo.bootstrapServers()), new StringSerializer(), new AvroSerdes(client, true).imageEvent().serializer())) {
            producer.send(new ProducerRecord<>("media.images", "by-url", ImageEvent.newBuilder().setId("by-url")
                    .setUrl(sourceUrl).setTenant("remote").build())).get();
        }
        DemoCorpus.Item last = DemoCorpus.items().get(DemoCorpus.items().size() - 1);
        Await.until(WAIT, "the URL image and the corpus to be indexed", () -> get("/v1/items/by-url", TOKEN).statusCode() == 200
                && get("/v1/items/" + last.id() + "/thumbnail", TOKEN).statusCode() == 200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (demo != null) {
            demo.close();
        }
        if (source != null) {
            source.stop(0);
        }
    }

    static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theThumbnailOfAnImageByUrlRedirectsToItsSourceAndNeedsTheToken() {
        HttpResponse<String> redirect = get("/v1/items/by-url/thumbnail", TOKEN);
        assertEquals(302, redirect.statusCode(), redirect.body());
        assertEquals(sourceUrl, redirect.headers().firstValue("Location").orElse(""));
        assertEquals(401, get("/v1/items/by-url/thumbnail", null).statusCode());
    }

    @Test
    void withoutATokenThePageSaysToPasteOneAndWithItEverythingLoads() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + port + "/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("search-form")));
        browser.findElement(By.id("query")).sendKeys("a picture");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("message")));
        String message = browser.findElement(By.id("message")).getText();
        assertTrue(message.startsWith("401: ") && message.contains("API token"), message);
        chromium.screenshot(getClass().getSimpleName() + "-no-token");

        browser.findElement(By.cssSelector("#auth summary")).click();
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("save-token")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("token-state"), "a token is set"));
        browser.findElement(By.id("add-filter")).click();
        browser.findElement(By.cssSelector("#filter-rows .filter-key")).sendKeys("tenant");
        browser.findElement(By.cssSelector("#filter-rows .filter-value")).sendKeys("remote");
        browser.findElement(By.id("search")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("message")));
        wait.until(driver -> !driver.findElements(By.cssSelector("#image-results .result-image")).isEmpty());
        // The one image by URL: its thumbnail endpoint redirects, so the page loads it from its source.
        wait.until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "const i = document.querySelector('#image-results .result-image img.thumb');"
                        + "return !!i && i.complete && i.naturalWidth > 0 && i.src === arguments[0];", sourceUrl)));

        browser.findElement(By.cssSelector("#filter-rows .remove-filter")).click();
        browser.findElement(By.id("search")).click();
        wait.until(driver -> driver.findElements(By.cssSelector("#image-results .result-image")).size() > 1);
        wait.until(driver -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
                "const imgs = [...document.querySelectorAll('#image-results .result-image img.thumb')];"
                        + "return imgs.length > 1 && imgs.every(i => i.complete && i.naturalWidth > 0);")));
        chromium.screenshot(getClass().getSimpleName() + "-with-token");
        List<WebElement> thumbs = browser.findElements(By.cssSelector("#image-results .result-image img.thumb"));
        assertTrue(thumbs.stream().anyMatch(img -> img.getAttribute("src").startsWith("blob:")),
                "thumbnails fetched with the token are shown from blob URLs");
        assertTrue(Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript(
                "return sessionStorage.getItem('clipstream.token') === arguments[0];", TOKEN)), "kept for the session only");
    }
}
